/// A plugin written in plain C against the header, configurable by -D options into each kind
/// of broken plugin. Its `/echo` agent replies with its arguments, or its config for "config".
enum CPluginSource {
    struct Options {
        var command = "echo"
        var abiVersion = "LSP_PLUGIN_ABI_VERSION"
        var entrySymbol = "llama_smart_proxy_plugin_entry"
        var registrationResult = 0

        var defines: [String] {
            ["-DCOMMAND=\"\(command)\"", "-DABI=\(abiVersion)", "-DENTRY=\(entrySymbol)", "-DRESULT=\(registrationResult)"]
        }
    }

    static let text = #"""
    #include "llama_smart_proxy_plugin.h"
    #include <stdlib.h>
    #include <string.h>

    static const lsp_host_api *host;

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
        } else {
            reply(outcome, invocation->arguments, strlen(invocation->arguments));
        }
    }

    static void release(void *context, char *buffer) { (void)context; free(buffer); }

    static int32_t register_agents(void *context, const lsp_host_api *api) {
        (void)context;
        host = api;
        lsp_agent agent = { sizeof(lsp_agent), COMMAND, "Echoes its arguments.", "/" COMMAND " <text>",
                            handle, release, NULL };
        api->log(api->host_context, LSP_LOG_INFO, "registering /" COMMAND);
        if (api->register_agent(api->host_context, &agent) != 0) return 1;
        return RESULT;
    }

    static const lsp_plugin_descriptor descriptor = {
        ABI, sizeof(lsp_plugin_descriptor), "c-" COMMAND, NULL, register_agents
    };

    const lsp_plugin_descriptor *ENTRY(void) { return &descriptor; }
    """#
}
