/*
 * llama_smart_proxy_plugin.h: the whole contract between Llama Smart Proxy (the host) and an
 * agent plugin (a shared library in the plugins folder). Only C types cross this boundary.
 *
 * Lifecycle
 *   1. The host dlopen()s a private copy of the library and looks up LSP_PLUGIN_ENTRY_SYMBOL.
 *   2. It calls the entry point, which returns a pointer to a static lsp_plugin_descriptor.
 *      The host reads `abi_version` (always the FIRST field, in every ABI version) and stops
 *      there, with a log line, unless it equals the host's LSP_PLUGIN_ABI_VERSION. It then
 *      checks `toolchain` (see lsp_plugin_descriptor) and stops there too if it does not fit.
 *   3. It calls descriptor->register_agents(descriptor->context, host). The plugin calls
 *      host->register_agent once per agent (and host->register_response_hook once per response
 *      hook), then returns 0 (or non-zero to refuse loading; every agent and hook it registered
 *      is then discarded). A plugin must register at least one of either.
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
 *     lsp_verdict.text likewise, with the hook's `release`.
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
    LSP_OUTCOME_PATCH = 4,
    /* Appended with the reply functions (a host whose `size` does not cover `finish_reply`
     * answers 500): the handler returns at once and the agent ends the call later, from any
     * thread, with host->finish_reply, after streaming any number of host->send_delta. No
     * thread of either side is held meanwhile. */
    LSP_OUTCOME_PENDING = 5
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
    /* Appended with the reply functions; read it only when host->size covers `finish_reply`
     * (an older host's invocation ends before it). The id of this call's reply, for
     * send_delta, finish_reply and stream_chat; valid until the reply is finished. */
    uint64_t reply;
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
    /* Appended with response hooks (a host that predates them reads `size` and ignores it):
     * the name of a response hook (host->register_response_hook, this plugin's or another's)
     * that the model's answer goes through whenever this agent forwards its request (CONTINUE
     * or PATCH); NULL for none. A hook that is not loaded when the answer comes answers 503. */
    const char *response_hook;
} lsp_agent;

/* Receives the result of host->complete_chat exactly once, possibly on another thread.
 * `status` is the HTTP status (0 when no response was received); `response_json` is owned by
 * the host and valid only during this call. */
typedef void (*lsp_completion_callback)(void *callback_context, int32_t status,
                                        const char *response_json, size_t response_length);

/* Receives one event of a streamed chat completion (host->stream_chat): the JSON of one
 * `chat.completion.chunk` (the `data:` of one server-sent event, `[DONE]` left out), owned by the
 * host and valid only during the call. Return 0 to go on, non-zero to stop the call (its model
 * slot is freed; `on_end` still runs, with status 499). */
typedef int32_t (*lsp_chunk_callback)(void *callback_context, const char *chunk_json, size_t length);

/* Response hooks (appended; register one with host->register_response_hook when `size` covers
 * it). A hook sees the model's answer to a request before the client does: the answer to every
 * request routed to a model whose config names it (`models.ID.response_hook`), and to every
 * request an agent that names it (lsp_agent.response_hook) forwards. For each part of the
 * answer the host calls `on_answer` and does what the verdict says. Requests with no hook never
 * reach this code: their bytes pass as they came.
 *
 * The parts of one exchange (one client request), in order, one call at a time, on a host
 * thread (never an event loop; different exchanges run at once):
 *   WHOLE  the body of a 200 answer to a request that did not stream (a chat.completion JSON);
 *   CHUNK  the JSON of one event of a 200 event stream (the `data:` of one server-sent event;
 *          `[DONE]` is not a chunk);
 *   END    the stream ended whole (`data` is empty);
 *   CLOSED the exchange is over, always the last call, exactly once: free what you kept for
 *          it. `data` is empty; the verdict is ignored.
 * An answer other than 200 goes to the client as it came, and is not shown to the hook (but
 * CLOSED is). `round` is 0 for the first answer, n for the answer to the n-th RETRY.
 *
 * Verdicts (the host zeroes the verdict before the call, so a hook that sets nothing passes):
 *   PASS     WHOLE: the answer goes out byte for byte. CHUNK: the chunks held so far, then this
 *            one, go out as they came. END: held chunks go out, then `[DONE]`.
 *   REPLACE  `text` goes out instead (WHOLE: the new body; CHUNK: after the held chunks, as one
 *            event's JSON; END: the held chunks are dropped and `text` is the last event).
 *   DROP     CHUNK: this chunk is left out. END: the held chunks are dropped.
 *   HOLD     CHUNK: kept back until a later PASS, REPLACE, DROP (at END) or RETRY decides it.
 *   RETRY    `text` is a new request JSON (its `stream` is set to the client's): the current
 *            answer is dropped (at a CHUNK, its model call is stopped) with what was held, and
 *            the new request's answer comes to this hook as the next round. A stream the
 *            client already got chunks of continues with the new answer's chunks.
 *   FAIL     `status` (4xx or 5xx) and `text` (a message) answer an OpenAI-shaped error, or end a
 *            stream already under way with an error event.
 * A verdict that does not fit the part (HOLD at END, DROP of a WHOLE, an unknown kind) answers
 * 500. Each call has `timeouts.agent_seconds` to return, and an exchange at most
 * `limits.response_hook_rounds` rounds; past either the client gets an error, the model call is
 * stopped, and CLOSED still comes. */
typedef enum lsp_answer_part {
    LSP_ANSWER_WHOLE = 0,
    LSP_ANSWER_CHUNK = 1,
    LSP_ANSWER_END = 2,
    LSP_ANSWER_CLOSED = 3
} lsp_answer_part;

typedef enum lsp_verdict_kind {
    LSP_VERDICT_PASS = 0,
    LSP_VERDICT_REPLACE = 1,
    LSP_VERDICT_DROP = 2,
    LSP_VERDICT_HOLD = 3,
    LSP_VERDICT_RETRY = 4,
    LSP_VERDICT_FAIL = 5
} lsp_verdict_kind;

/* One part of an answer. Every string is owned by the host and valid only during the call. */
typedef struct lsp_answer {
    uint64_t exchange;         /* the same in every call of one exchange; never reused */
    uint32_t round;
    int32_t part;              /* lsp_answer_part */
    const char *data;          /* see the parts; "" when empty, never NULL */
    size_t data_length;
    const char *request_json;  /* the request this round's answer is for, as routed */
    size_t request_json_length;
    const char *model;         /* the request's `model` */
} lsp_answer;

/* Filled by the hook. `text` (may be NULL) is allocated by the plugin and released by the host
 * through lsp_response_hook.release once it has copied it. */
typedef struct lsp_verdict {
    int32_t kind;              /* lsp_verdict_kind */
    int32_t status;            /* FAIL only */
    char *text;
    size_t text_length;
} lsp_verdict;

typedef void (*lsp_answer_handler)(void *context, const lsp_answer *answer, lsp_verdict *verdict);

/* Passed to host->register_response_hook; the host copies the strings and keeps the rest. */
typedef struct lsp_response_hook {
    size_t size;               /* sizeof(lsp_response_hook) */
    const char *name;          /* [a-z0-9_-]+, unique among the loaded plugins, e.g. "json-check" */
    const char *summary;       /* one line */
    lsp_answer_handler on_answer;
    lsp_release_function release; /* releases lsp_verdict.text; gets `context` */
    void *context;
} lsp_response_hook;

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

    /* Appended: replies written later and streamed, and streamed model calls. A plugin uses
     * them (and LSP_OUTCOME_PENDING, lsp_invocation.reply) only when `size` covers the field.
     * Every string is copied by the host before the call returns; the plugin keeps its own.
     *
     * send_delta: appends `text` to the reply's assistant message. The client that asked to
     * stream receives it at once as a `chat.completion.chunk`; one that did not receives the
     * whole text as one `chat.completion` at the end. Returns 0, or non-zero when the reply is
     * over (client gone, deadline passed, already finished): stop working on it then. Each
     * delta restarts the agent's deadline (`timeouts.agent_seconds`), which otherwise ends a
     * pending reply. */
    int32_t (*send_delta)(void *host_context, uint64_t reply, const char *text, size_t length);
    /* Ends a reply, exactly once: `kind` REPLY (`text` becomes the last delta; may be empty),
     * FAIL (`status` 4xx/5xx and a message: an error response, or the error event that ends a
     * stream already under way), CONTINUE or PATCH (as the handler's outcome would, before any
     * delta only). Later calls for the same reply do nothing. A handler that returns an outcome
     * other than PENDING has ended its reply with it. */
    void (*finish_reply)(void *host_context, uint64_t reply, int32_t kind, int32_t status,
                         const char *text, size_t length);
    /* Sends a chat completion request through the pool as a stream (the host sets
     * `"stream": true`): `on_chunk` runs for each event as it arrives, then `on_end` exactly
     * once with the status (200 after a whole stream; an error's status and body, 499 when
     * stopped). Callbacks run on a host thread, one at a time per call; none is held between
     * them. `reply` (0: none) ties the call to a pending reply: it is cancelled when the reply
     * ends or its deadline passes. Returns the call's id for cancel_chat. */
    uint64_t (*stream_chat)(void *host_context, uint64_t reply, const char *request_json, size_t request_length,
                            lsp_chunk_callback on_chunk, lsp_completion_callback on_end, void *callback_context);
    /* Stops a streamed call early (its model slot is freed at once); `on_end` runs with 499
     * unless it already ran. An unknown or finished id does nothing. */
    void (*cancel_chat)(void *host_context, uint64_t call);

    /* Appended with response hooks (see lsp_response_hook). Valid only while register_agents
     * runs, like register_agent. Returns 0, or non-zero when refused (invalid or taken name). */
    int32_t (*register_response_hook)(void *host_context, const lsp_response_hook *hook);
} lsp_host_api;

/* The `toolchain` a plugin that does not use the Swift runtime may name (NULL means the same). */
#define LSP_PLUGIN_TOOLCHAIN_C "C"

/* Returned by the entry point; static storage in the plugin. Append-only like lsp_host_api:
 * the host reads a field added later only when `size` covers it. */
typedef struct lsp_plugin_descriptor {
    uint32_t abi_version;      /* LSP_PLUGIN_ABI_VERSION the plugin was built against: FIRST */
    uint32_t size;             /* sizeof(lsp_plugin_descriptor) */
    const char *name;          /* the plugin's name, for log lines */
    void *context;             /* passed back to register_agents */
    int32_t (*register_agents)(void *context, const lsp_host_api *host);
    /* Appended after the first release: the compiler the plugin was built with, e.g.
     * "Swift 6.3.1" (the Swift SDK's PluginExport fills it in). A Swift plugin runs on the
     * host's Swift runtime, so the host refuses, before calling register_agents:
     *   - a toolchain other than its own ("built with Swift 6.2, this proxy with Swift 6.3.1:
     *     rebuild it with the proxy's toolchain");
     *   - a library that uses the Swift runtime but names NULL or "C";
     *   - a library that uses the Swift runtime whose descriptor ends before this field (built
     *     with an older SDK), unless the toolchain that linked it is the host's own: a Swift
     *     library carries the `.comment` line of its toolchain's clang (with the exact
     *     llvm-project commit), which the host compares with its own executable's.
     * A library that does not use the Swift runtime (plain C) may set NULL or
     * LSP_PLUGIN_TOOLCHAIN_C, or leave the field out (an older descriptor): it is accepted. */
    const char *toolchain;
} lsp_plugin_descriptor;

typedef const lsp_plugin_descriptor *(*lsp_plugin_entry)(void);

#ifdef __cplusplus
}
#endif

#endif /* LLAMA_SMART_PROXY_PLUGIN_H */
