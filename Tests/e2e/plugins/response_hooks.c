/* Response hooks for the e2e tests, one per verdict rule (see lsp_response_hook):
 *   pass        sets nothing: every part passes as it came
 *   redact      replaces "secret" with "******" in a whole answer or a chunk (REPLACE)
 *   hold-all    holds every chunk and lets them all go at the end
 *   again       round 0: holds its chunks and asks again with the same request (RETRY); then passes
 *   again-early round 0: asks again at the first chunk (its model call is stopped); then passes
 *   refuse      FAIL 422 on a whole answer or the first chunk
 *   late-fail   passes two chunks, then FAIL 500: the stream under way ends with an error event
 *   slow        sleeps 2 s per call (past a short timeouts.agent_seconds)
 *   misfit      verdicts that do not fit the part: DROP a whole answer, HOLD at the end
 *   forever     asks again at every end (past limits.response_hook_rounds)
 *   two-lines   replaces each chunk with the same JSON broken over two lines (a line break after
 *               its first `{`), which the proxy must send as two `data:` lines of one event
 * and two agents: `/hook-stats` (registered with the first lsp_agent layout, without
 * `response_hook`) answers how many exchanges were opened and closed; `/via-hook <word>` patches
 * the last user text to <word> and names the `redact` hook for the answer. */
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "llama_smart_proxy_plugin.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t open_exchanges[1024];
static size_t open_count;
static unsigned long opened, closed, calls_after_close;
static unsigned long closed_ids[4096];
static size_t closed_ids_count;

/* Every exchange is opened by its first part and closed by CLOSED, exactly once. */
static void track(const lsp_answer *answer) {
    pthread_mutex_lock(&lock);
    size_t index = 0;
    while (index < open_count && open_exchanges[index] != answer->exchange) index++;
    int closed_before = 0;
    for (size_t seen = 0; seen < closed_ids_count; seen++) closed_before |= closed_ids[seen] == answer->exchange;
    if (answer->part == LSP_ANSWER_CLOSED) {
        if (closed_before) {
            calls_after_close++;  /* a second CLOSED */
        } else if (index < open_count) {
            open_exchanges[index] = open_exchanges[--open_count];
            closed++;
        } else {
            opened++;  /* an answer not shown to the hook: CLOSED is its only call */
            closed++;
        }
        if (closed_ids_count < 4096) closed_ids[closed_ids_count++] = (unsigned long)answer->exchange;
    } else if (index == open_count) {
        if (closed_before) calls_after_close++;
        if (open_count < 1024) open_exchanges[open_count++] = answer->exchange;
        opened++;
    }
    pthread_mutex_unlock(&lock);
}

static void release(void *context, char *buffer) { (void)context; free(buffer); }

static void set(lsp_verdict *verdict, int32_t kind, int32_t status, const char *text, size_t length) {
    verdict->kind = kind;
    verdict->status = status;
    if (text) {
        verdict->text = malloc(length + 1);
        memcpy(verdict->text, text, length);
        verdict->text[length] = 0;
        verdict->text_length = length;
    }
}

static void pass(void *context, const lsp_answer *answer, lsp_verdict *verdict) {
    (void)context;
    (void)verdict;
    track(answer);
}

static void redact(void *context, const lsp_answer *answer, lsp_verdict *verdict) {
    (void)context;
    track(answer);
    if (answer->part != LSP_ANSWER_WHOLE && answer->part != LSP_ANSWER_CHUNK) return;
    if (!strstr(answer->data, "secret")) return;
    char *copy = malloc(answer->data_length + 1);
    memcpy(copy, answer->data, answer->data_length + 1);
    for (char *found = strstr(copy, "secret"); found; found = strstr(found, "secret")) memcpy(found, "******", 6);
    verdict->kind = LSP_VERDICT_REPLACE;
    verdict->text = copy;
    verdict->text_length = answer->data_length;
}

static void hold_all(void *context, const lsp_answer *answer, lsp_verdict *verdict) {
    (void)context;
    track(answer);
    if (answer->part == LSP_ANSWER_CHUNK) verdict->kind = LSP_VERDICT_HOLD;
}

static void again(void *context, const lsp_answer *answer, lsp_verdict *verdict) {
    (void)context;
    track(answer);
    if (answer->round > 0) return;
    if (answer->part == LSP_ANSWER_CHUNK) verdict->kind = LSP_VERDICT_HOLD;
    if (answer->part == LSP_ANSWER_WHOLE || answer->part == LSP_ANSWER_END) {
        set(verdict, LSP_VERDICT_RETRY, 0, answer->request_json, answer->request_json_length);
    }
}

static void again_early(void *context, const lsp_answer *answer, lsp_verdict *verdict) {
    (void)context;
    track(answer);
    if (answer->round == 0 && (answer->part == LSP_ANSWER_CHUNK || answer->part == LSP_ANSWER_WHOLE)) {
        set(verdict, LSP_VERDICT_RETRY, 0, answer->request_json, answer->request_json_length);
    }
}

static void refuse(void *context, const lsp_answer *answer, lsp_verdict *verdict) {
    (void)context;
    track(answer);
    if (answer->part == LSP_ANSWER_WHOLE || answer->part == LSP_ANSWER_CHUNK) {
        const char *message = "refused by hook";
        set(verdict, LSP_VERDICT_FAIL, 422, message, strlen(message));
    }
}

static pthread_mutex_t late_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t late_exchange;
static int late_chunks;

static void late_fail(void *context, const lsp_answer *answer, lsp_verdict *verdict) {
    (void)context;
    track(answer);
    if (answer->part != LSP_ANSWER_CHUNK) return;
    pthread_mutex_lock(&late_lock);
    if (late_exchange != answer->exchange) {
        late_exchange = answer->exchange;
        late_chunks = 0;
    }
    int seen = ++late_chunks;
    pthread_mutex_unlock(&late_lock);
    if (seen > 2) {
        const char *message = "stopped after two chunks";
        set(verdict, LSP_VERDICT_FAIL, 500, message, strlen(message));
    }
}

static void slow(void *context, const lsp_answer *answer, lsp_verdict *verdict) {
    (void)context;
    (void)verdict;
    track(answer);
    if (answer->part != LSP_ANSWER_CLOSED) sleep(2);
}

static void misfit(void *context, const lsp_answer *answer, lsp_verdict *verdict) {
    (void)context;
    track(answer);
    if (answer->part == LSP_ANSWER_WHOLE) verdict->kind = LSP_VERDICT_DROP;
    if (answer->part == LSP_ANSWER_END) verdict->kind = LSP_VERDICT_HOLD;
}

static void forever(void *context, const lsp_answer *answer, lsp_verdict *verdict) {
    (void)context;
    track(answer);
    if (answer->part == LSP_ANSWER_CHUNK) verdict->kind = LSP_VERDICT_HOLD;
    if (answer->part == LSP_ANSWER_WHOLE || answer->part == LSP_ANSWER_END) {
        set(verdict, LSP_VERDICT_RETRY, 0, answer->request_json, answer->request_json_length);
    }
}

static void two_lines(void *context, const lsp_answer *answer, lsp_verdict *verdict) {
    (void)context;
    track(answer);
    if (answer->part != LSP_ANSWER_CHUNK || answer->data_length == 0 || answer->data[0] != '{') return;
    char *text = malloc(answer->data_length + 2);
    text[0] = '{';
    text[1] = '\n';
    memcpy(text + 2, answer->data + 1, answer->data_length - 1);
    text[answer->data_length + 1] = 0;
    verdict->kind = LSP_VERDICT_REPLACE;
    verdict->text = text;
    verdict->text_length = answer->data_length + 1;
}

static void reply(lsp_outcome *outcome, int32_t kind, const char *text) {
    outcome->kind = kind;
    outcome->text = strdup(text);
    outcome->text_length = strlen(text);
}

static void hook_stats(void *context, const lsp_invocation *invocation, lsp_outcome *outcome) {
    (void)context;
    (void)invocation;
    char text[160];
    pthread_mutex_lock(&lock);
    snprintf(text, sizeof text, "open=%zu opened=%lu closed=%lu after_close=%lu", open_count, opened, closed, calls_after_close);
    pthread_mutex_unlock(&lock);
    reply(outcome, LSP_OUTCOME_REPLY, text);
}

static void via_hook(void *context, const lsp_invocation *invocation, lsp_outcome *outcome) {
    (void)context;
    char patch[256];
    snprintf(patch, sizeof patch, "{\"" LSP_PATCH_LAST_USER_TEXT "\":\"%.200s\"}", invocation->arguments);
    reply(outcome, LSP_OUTCOME_PATCH, patch);
}

static int32_t register_all(void *context, const lsp_host_api *host) {
    (void)context;
    if (host->size < offsetof(lsp_host_api, register_response_hook) + sizeof(host->register_response_hook)) return 1;
    struct { const char *name; lsp_answer_handler handler; } hooks[] = {
        {"pass", pass}, {"redact", redact}, {"hold-all", hold_all}, {"again", again}, {"again-early", again_early},
        {"refuse", refuse}, {"late-fail", late_fail}, {"slow", slow}, {"misfit", misfit}, {"forever", forever},
        {"two-lines", two_lines},
    };
    for (size_t index = 0; index < sizeof hooks / sizeof hooks[0]; index++) {
        lsp_response_hook hook = {sizeof(lsp_response_hook), hooks[index].name, "a test hook", hooks[index].handler, release, NULL};
        if (host->register_response_hook(host->host_context, &hook) != 0) return 1;
    }
    /* The first layout: `size` ends before `response_hook`. */
    lsp_agent stats = {offsetof(lsp_agent, response_hook), "hook-stats", "Counts the hooks' exchanges.", "/hook-stats",
                       hook_stats, release, NULL, NULL};
    if (host->register_agent(host->host_context, &stats) != 0) return 1;
    lsp_agent via = {sizeof(lsp_agent), "via-hook", "Asks <word>; the answer goes through redact.", "/via-hook <word>",
                     via_hook, release, NULL, "redact"};
    return host->register_agent(host->host_context, &via) != 0;
}

static const lsp_plugin_descriptor descriptor = {
    LSP_PLUGIN_ABI_VERSION, sizeof(lsp_plugin_descriptor), "response-hooks", NULL, register_all, LSP_PLUGIN_TOOLCHAIN_C};

const lsp_plugin_descriptor *llama_smart_proxy_plugin_entry(void) { return &descriptor; }
