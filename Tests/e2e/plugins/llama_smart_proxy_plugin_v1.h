/* The plugin header as first released with the agents (ABI 1, before the reply functions were
 * appended), kept so a plugin built against it is tested against every later host. Do not edit. */
/*
 * llama_smart_proxy_plugin.h: the whole contract between Llama Smart Proxy (the host) and an
 * agent plugin (a shared library in the plugins folder). Only C types cross this boundary.
 *
 * Lifecycle
 *   1. The host dlopen()s a private copy of the library and looks up LSP_PLUGIN_ENTRY_SYMBOL.
 *   2. It calls the entry point, which returns a pointer to a static lsp_plugin_descriptor.
 *      The host reads `abi_version` (always the FIRST field, in every ABI version) and stops
 *      there, with a log line, unless it equals the host's LSP_PLUGIN_ABI_VERSION.
 *   3. It calls descriptor->register_agents(descriptor->context, host). The plugin calls
 *      host->register_agent once per agent, then returns 0 (or non-zero to refuse loading;
 *      every agent it registered is then discarded).
 *   4. A library is never unloaded (the Swift runtime keeps pointers into it), so `host`,
 *      every pointer in it and every agent's context stay valid for the life of the process.
 *
 * Memory: a buffer is always released by the side that allocated it, through that side's
 * function, never by the other side's allocator:
 *   - Strings the host passes in (invocation fields, completion responses, log text the plugin
 *     passes to the host) are owned by their sender and valid only during the call.
 *   - Strings the plugin passes to register_agent are copied by the host before it returns.
 *   - lsp_outcome.text is allocated by the plugin; the host releases it with the agent's
 *     `release` function once it has copied it, exactly once, and only if it is not NULL.
 *   - host->copy_config returns a host buffer; the plugin releases it with host->release.
 *
 * Threads: handlers and completion callbacks may run on any thread, several at once.
 */
#ifndef LLAMA_SMART_PROXY_PLUGIN_H
#define LLAMA_SMART_PROXY_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped on any incompatible change; the host loads only plugins built against its own. */
#define LSP_PLUGIN_ABI_VERSION 1u

/* The one symbol a plugin exports: `const lsp_plugin_descriptor *NAME(void)`. */
#define LSP_PLUGIN_ENTRY_SYMBOL "llama_smart_proxy_plugin_entry"

typedef enum lsp_log_level {
    LSP_LOG_DEBUG = 0,
    LSP_LOG_INFO = 1,
    LSP_LOG_WARNING = 2,
    LSP_LOG_ERROR = 3
} lsp_log_level;

/* What an agent decided. `text` is the rewritten request JSON (CONTINUE), the answer text
 * (REPLY), the error message (FAIL) or a patch (PATCH); `status` is the HTTP status for FAIL
 * (4xx or 5xx).
 *
 * PATCH (appended after the first release; a host that predates it answers 500): `text` is a
 * JSON object of top-level request members to set (any JSON value) or remove (`null`), like an
 * RFC 7386 merge patch but one level deep. The host edits the client's request bytes in place:
 * a set member's value bytes are replaced (every duplicate of it), a removed member goes with
 * its comma, a new member is added after the last one; every other byte (order, spacing,
 * number spelling, escapes) reaches the model exactly as the client sent it. One reserved
 * member, LSP_PATCH_LAST_USER_TEXT, is not written into the request: its string value replaces
 * the text of the last user message (its string `content`, or its first text part's `text`),
 * in place too, after the top-level changes. The request is then routed by its (possibly
 * patched) `model`. An invalid patch answers 500. */
typedef enum lsp_outcome_kind {
    LSP_OUTCOME_NONE = 0,  /* left unset by the handler: the host answers 500 */
    LSP_OUTCOME_CONTINUE = 1,
    LSP_OUTCOME_REPLY = 2,
    LSP_OUTCOME_FAIL = 3,
    LSP_OUTCOME_PATCH = 4
} lsp_outcome_kind;

/* The reserved PATCH member whose string value becomes the last user message's text. */
#define LSP_PATCH_LAST_USER_TEXT "$last_user_text"
/* The reserved PATCH member whose string value becomes the system prompt: the content of the
 * first message when it is a system message, else a new system message inserted first. Every
 * other byte of the messages stays as the client sent it. */
#define LSP_PATCH_SYSTEM_PROMPT "$system_prompt"

/* One slash-command call. All strings are UTF-8, NUL-terminated, owned by the host and valid
 * only during the handler call. `command` has no leading slash; `arguments` is the rest of the
 * message after the command and the spaces or tabs that follow it (a newline is kept);
 * `model` may be "" when absent. */
typedef struct lsp_invocation {
    const char *command;
    const char *arguments;
    const char *request_json;
    size_t request_json_length;
    const char *model;
} lsp_invocation;

/* Filled by the handler. The host zeroes it before the call. `text` (may be NULL) is
 * allocated by the plugin and released by the host through lsp_agent.release. */
typedef struct lsp_outcome {
    int32_t kind;      /* lsp_outcome_kind */
    int32_t status;    /* HTTP status, FAIL only */
    char *text;
    size_t text_length;
} lsp_outcome;

/* A Swift closure cannot be a C function pointer, so every callback takes a context. */
typedef void (*lsp_agent_handler)(void *context, const lsp_invocation *invocation,
                                  lsp_outcome *outcome);
typedef void (*lsp_release_function)(void *context, char *buffer);

/* Passed to host->register_agent; the host copies the strings and keeps the rest. */
typedef struct lsp_agent {
    size_t size;               /* sizeof(lsp_agent): lets the host read older layouts */
    const char *command;       /* without the slash: [a-z0-9_-]+, e.g. "sys" */
    const char *summary;       /* one line */
    const char *usage;         /* e.g. "/sys <text>" */
    lsp_agent_handler handle;
    lsp_release_function release; /* releases lsp_outcome.text; gets `context` */
    void *context;             /* passed back to handle and release, never touched by the host */
} lsp_agent;

/* Receives the result of host->complete_chat exactly once, possibly on another thread.
 * `status` is the HTTP status (0 when no response was received); `response_json` is owned by
 * the host and valid only during this call. */
typedef void (*lsp_completion_callback)(void *callback_context, int32_t status,
                                        const char *response_json, size_t response_length);

/* Services the host offers. Append-only: later versions add fields at the end and raise
 * `version`; a plugin checks `size`/`version` before using a field added after version 1. */
typedef struct lsp_host_api {
    uint32_t size;             /* sizeof(lsp_host_api) as the host was built */
    uint32_t version;          /* LSP_PLUGIN_ABI_VERSION of the host */
    void *host_context;        /* first argument of every function below */

    void (*log)(void *host_context, int32_t level, const char *text);

    /* A copy of this plugin's section of the configuration as JSON text ("{}" when there is
     * none), NUL-terminated; `*length` gets its length. Release it with `release`. */
    char *(*copy_config)(void *host_context, size_t *length);
    void (*release)(void *host_context, char *buffer);

    /* Valid only while register_agents runs. Returns 0, or non-zero when refused (invalid
     * or duplicate command). */
    int32_t (*register_agent)(void *host_context, const lsp_agent *agent);

    /* Sends a chat completion request (JSON, non-streaming) through the host's model pool.
     * The host copies `request_json` before returning; `callback` runs exactly once. */
    void (*complete_chat)(void *host_context, const char *request_json, size_t request_length,
                          lsp_completion_callback callback, void *callback_context);
    /* Appended after the first release (check `size` before use, as for any later field):
     * every agent loaded right now, as a NUL-terminated JSON array of
     * {"command", "summary", "usage", "plugin"} objects; `*length` gets its length.
     * Release it with `release`. */
    char *(*copy_agent_list)(void *host_context, size_t *length);
} lsp_host_api;

/* Returned by the entry point; static storage in the plugin. */
typedef struct lsp_plugin_descriptor {
    uint32_t abi_version;      /* LSP_PLUGIN_ABI_VERSION the plugin was built against: FIRST */
    uint32_t size;             /* sizeof(lsp_plugin_descriptor) */
    const char *name;          /* the plugin's name, for log lines */
    void *context;             /* passed back to register_agents */
    int32_t (*register_agents)(void *context, const lsp_host_api *host);
} lsp_plugin_descriptor;

typedef const lsp_plugin_descriptor *(*lsp_plugin_entry)(void);

#ifdef __cplusplus
}
#endif

#endif /* LLAMA_SMART_PROXY_PLUGIN_H */
