/// A plugin written in plain C against the header, configurable by -D options into each kind
/// of broken plugin. Its `/echo` agent replies with its arguments; with "config", its config
/// section; with "complete <json>", "<status> <body>" of a chat completion run by the host.
/// With a `hook` name it also registers a response hook (when the host has
/// `register_response_hook`) that replaces a whole answer with "hooked <body>", holds chunks,
/// retries the round's request at the end, and logs "closed exchange N" at CLOSED.
enum CPluginSource {
    struct Options {
        var command = "echo"
        var abiVersion = "LSP_PLUGIN_ABI_VERSION"
        var entrySymbol = "llama_smart_proxy_plugin_entry"
        var registrationResult = 0
        /// The descriptor's `toolchain` as a C expression: NULL, "\"C\"", "\"Swift 5.9\"".
        var toolchain = "NULL"
        /// `sizeof(lsp_plugin_descriptor)`, or `offsetof(lsp_plugin_descriptor, toolchain)` to play
        /// a plugin built before the toolchain field.
        var descriptorSize = "sizeof(lsp_plugin_descriptor)"
        /// Linked against the Swift runtime (libswiftCore), as a Swift plugin is.
        var linksSwiftRuntime = false
        /// `lsp_agent.size`: `offsetof(lsp_agent, response_hook)` plays an agent of the first layout.
        var agentSize = "sizeof(lsp_agent)"
        /// `lsp_agent.response_hook` as a C expression: NULL or "\"c-hook\"".
        var agentResponseHook = "NULL"
        /// The name of the response hook to register, or nil for none.
        var hook: String?

        var defines: [String] {
            ["-DCOMMAND=\"\(command)\"", "-DABI=\(abiVersion)", "-DENTRY=\(entrySymbol)", "-DRESULT=\(registrationResult)",
             "-DTOOLCHAIN=\(toolchain)", "-DDESCRIPTOR_SIZE=\(descriptorSize)", "-DAGENT_SIZE=\(agentSize)",
             "-DAGENT_RESPONSE_HOOK=\(agentResponseHook)"] + (hook.map { ["-DHOOK=\"\($0)\""] } ?? [])
        }
    }

    static let text = #"""
    #include "llama_smart_proxy_plugin.h"
    #include <pthread.h>
    #include <stddef.h>
    #include <stdio.h>
    #include <stdlib.h>
    #include <string.h>

    static const lsp_host_api *host;

    /* The host may answer on another thread: the handler waits for the callback. */
    typedef struct completion {
        pthread_mutex_t lock;
        pthread_cond_t done;
        int finished;
        char *text;
    } completion;

    static void completed(void *context, int32_t status, const char *response, size_t length) {
        completion *waiting = context;
        pthread_mutex_lock(&waiting->lock);
        waiting->text = malloc(length + 16);
        snprintf(waiting->text, length + 16, "%d %.*s", (int)status, (int)length, response);
        waiting->finished = 1;
        pthread_cond_signal(&waiting->done);
        pthread_mutex_unlock(&waiting->lock);
    }

    static void reply(lsp_outcome *outcome, const char *text, size_t length) {
        outcome->kind = LSP_OUTCOME_REPLY;
        outcome->text = malloc(length + 1);
        memcpy(outcome->text, text, length);
        outcome->text[length] = 0;
        outcome->text_length = length;
    }

    static void handle(void *context, const lsp_invocation *invocation, lsp_outcome *outcome) {
        (void)context;
        if (strcmp(invocation->arguments, "config") == 0) {
            size_t length = 0;
            char *config = host->copy_config(host->host_context, &length);
            reply(outcome, config, length);
            host->release(host->host_context, config);
        } else if (strncmp(invocation->arguments, "complete ", 9) == 0) {
            completion waiting = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, NULL };
            const char *request = invocation->arguments + 9;
            host->complete_chat(host->host_context, request, strlen(request), completed, &waiting);
            pthread_mutex_lock(&waiting.lock);
            while (!waiting.finished) pthread_cond_wait(&waiting.done, &waiting.lock);
            pthread_mutex_unlock(&waiting.lock);
            reply(outcome, waiting.text, strlen(waiting.text));
            free(waiting.text);
        } else {
            reply(outcome, invocation->arguments, strlen(invocation->arguments));
        }
    }

    static void release(void *context, char *buffer) { (void)context; free(buffer); }

    #ifdef HOOK
    static void verdict_text(lsp_verdict *verdict, int32_t kind, const char *prefix, const char *text, size_t length) {
        size_t prefix_length = strlen(prefix);
        verdict->kind = kind;
        verdict->text = malloc(prefix_length + length + 1);
        memcpy(verdict->text, prefix, prefix_length);
        memcpy(verdict->text + prefix_length, text, length);
        verdict->text[prefix_length + length] = 0;
        verdict->text_length = prefix_length + length;
    }

    static void on_answer(void *context, const lsp_answer *answer, lsp_verdict *verdict) {
        (void)context;
        char line[64];
        switch (answer->part) {
        case LSP_ANSWER_WHOLE:
            verdict_text(verdict, LSP_VERDICT_REPLACE, "hooked ", answer->data, answer->data_length);
            break;
        case LSP_ANSWER_CHUNK:
            verdict->kind = LSP_VERDICT_HOLD;
            break;
        case LSP_ANSWER_END:
            verdict_text(verdict, LSP_VERDICT_RETRY, "", answer->request_json, answer->request_json_length);
            break;
        case LSP_ANSWER_CLOSED:
            snprintf(line, sizeof line, "closed exchange %llu", (unsigned long long)answer->exchange);
            host->log(host->host_context, LSP_LOG_INFO, line);
            break;
        }
    }
    #endif

    static int32_t register_agents(void *context, const lsp_host_api *api) {
        (void)context;
        host = api;
        lsp_agent agent = { AGENT_SIZE, COMMAND, "Echoes its arguments.", "/" COMMAND " <text>",
                            handle, release, NULL, AGENT_RESPONSE_HOOK };
        api->log(api->host_context, LSP_LOG_INFO, "registering /" COMMAND);
        if (api->register_agent(api->host_context, &agent) != 0) return 1;
    #ifdef HOOK
        if (api->size >= offsetof(lsp_host_api, register_response_hook) + sizeof api->register_response_hook) {
            lsp_response_hook hook = { sizeof(lsp_response_hook), HOOK, "Replaces, holds, retries.", on_answer, release, NULL };
            if (api->register_response_hook(api->host_context, &hook) != 0) return 1;
        }
    #endif
        return RESULT;
    }

    static const lsp_plugin_descriptor descriptor = {
        ABI, DESCRIPTOR_SIZE, "c-" COMMAND, NULL, register_agents, TOOLCHAIN
    };

    const lsp_plugin_descriptor *ENTRY(void) { return &descriptor; }
    """#
}
