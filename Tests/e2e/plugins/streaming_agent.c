/* A test plugin in plain C using the reply functions appended to the ABI: `/drip N` answers
 * later from a thread of its own, N deltas 20 ms apart; `/stall` answers never (its deadline
 * ends it); `/relay <model> <tokens>` streams a model call tied to its reply and sends one "."
 * per chunk, then the call's status. Checks `host->size` first, as a plugin must. */
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "llama_smart_proxy_plugin.h"

static const lsp_host_api *host_api;

static int has_replies(const lsp_host_api *host) {
    return host->size >= offsetof(lsp_host_api, cancel_chat) + sizeof(host->cancel_chat);
}

static void release(void *context, char *buffer) { (void)context; free(buffer); }

static void send_text(uint64_t reply, const char *text) {
    host_api->send_delta(host_api->host_context, reply, text, strlen(text));
}

static void finish(uint64_t reply, int32_t kind, int32_t status, const char *text) {
    host_api->finish_reply(host_api->host_context, reply, kind, status, text, strlen(text));
}

typedef struct drip_job { uint64_t reply; int count; } drip_job;

static void *drip_thread(void *argument) {
    drip_job *job = argument;
    char text[32];
    for (int index = 1; index <= job->count; index++) {
        snprintf(text, sizeof text, "tick %d ", index);
        if (host_api->send_delta(host_api->host_context, job->reply, text, strlen(text)) != 0) break;  /* over */
        usleep(20000);
    }
    finish(job->reply, LSP_OUTCOME_REPLY, 0, "done");
    free(job);
    return NULL;
}

static void drip(void *context, const lsp_invocation *invocation, lsp_outcome *outcome) {
    (void)context;
    drip_job *job = malloc(sizeof *job);
    job->reply = invocation->reply;
    job->count = atoi(invocation->arguments);
    pthread_t thread;
    pthread_create(&thread, NULL, drip_thread, job);
    pthread_detach(thread);
    outcome->kind = LSP_OUTCOME_PENDING;
}

static void stall(void *context, const lsp_invocation *invocation, lsp_outcome *outcome) {
    (void)context;
    (void)invocation;
    outcome->kind = LSP_OUTCOME_PENDING;  /* and nothing more: the deadline ends it */
}

typedef struct relay_state { uint64_t reply; int chunks; } relay_state;

static int32_t relay_chunk(void *context, const char *json, size_t length) {
    (void)json;
    (void)length;
    relay_state *state = context;
    state->chunks++;
    return host_api->send_delta(host_api->host_context, state->reply, ".", 1) == 0 ? 0 : 1;
}

static void relay_end(void *context, int32_t status, const char *body, size_t length) {
    (void)body;
    (void)length;
    relay_state *state = context;
    char text[64];
    snprintf(text, sizeof text, " status %d after %d chunks", status, state->chunks);
    finish(state->reply, LSP_OUTCOME_REPLY, 0, text);
    free(state);
}

static void relay(void *context, const lsp_invocation *invocation, lsp_outcome *outcome) {
    (void)context;
    char model[128] = "";
    int tokens = 8;
    sscanf(invocation->arguments, "%127s %d", model, &tokens);
    char request[512];
    snprintf(request, sizeof request,
             "{\"model\":\"%s\",\"max_tokens\":%d,\"ignore_eos\":true,\"temperature\":0,\"seed\":1,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", model, tokens);
    relay_state *state = calloc(1, sizeof *state);
    state->reply = invocation->reply;
    host_api->stream_chat(host_api->host_context, invocation->reply, request, strlen(request), relay_chunk, relay_end, state);
    outcome->kind = LSP_OUTCOME_PENDING;
}

static int32_t register_agents(void *context, const lsp_host_api *host) {
    (void)context;
    if (!has_replies(host)) return 1;  /* refuse to load: this host cannot answer later */
    host_api = host;
    lsp_agent agents[] = {
        {sizeof(lsp_agent), "drip", "Sends N deltas, 20 ms apart.", "/drip <n>", drip, release, NULL},
        {sizeof(lsp_agent), "stall", "Never answers.", "/stall", stall, release, NULL},
        {sizeof(lsp_agent), "relay", "Streams a model call, a dot per chunk.", "/relay <model> <tokens>", relay, release, NULL},
    };
    for (size_t index = 0; index < sizeof agents / sizeof agents[0]; index++) {
        if (host->register_agent(host->host_context, &agents[index]) != 0) return 1;
    }
    return 0;
}

static const lsp_plugin_descriptor descriptor = {
    LSP_PLUGIN_ABI_VERSION, sizeof(lsp_plugin_descriptor), "streaming-agent", NULL, register_agents};

const lsp_plugin_descriptor *llama_smart_proxy_plugin_entry(void) { return &descriptor; }
