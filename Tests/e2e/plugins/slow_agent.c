/* A test plugin in plain C, built by the e2e suite with cc: `/slow` sleeps for the number of
 * milliseconds in its argument, then replies; `/boom` fails with 418. Exercises the agent
 * deadline and the fail outcome through the real ABI. -DTOOLCHAIN='"Swift 5.9"' makes it claim
 * a Swift toolchain other than the proxy's (it is then refused). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "llama_smart_proxy_plugin.h"

/* Builds against the header before the descriptor's toolchain field too (the v1 test). */
#ifdef LSP_PLUGIN_TOOLCHAIN_C
#ifndef TOOLCHAIN
#define TOOLCHAIN LSP_PLUGIN_TOOLCHAIN_C
#endif
#define DESCRIPTOR_TOOLCHAIN , TOOLCHAIN
#else
#define DESCRIPTOR_TOOLCHAIN
#endif

static char *copy_text(const char *text, size_t *length) {
    *length = strlen(text);
    char *buffer = malloc(*length + 1);
    memcpy(buffer, text, *length + 1);
    return buffer;
}

static void release(void *context, char *buffer) { (void)context; free(buffer); }

static void slow(void *context, const lsp_invocation *invocation, lsp_outcome *outcome) {
    (void)context;
    usleep((useconds_t)atoi(invocation->arguments) * 1000);
    outcome->kind = LSP_OUTCOME_REPLY;
    outcome->text = copy_text("slept", &outcome->text_length);
}

static void boom(void *context, const lsp_invocation *invocation, lsp_outcome *outcome) {
    (void)context;
    (void)invocation;
    outcome->kind = LSP_OUTCOME_FAIL;
    outcome->status = 418;
    outcome->text = copy_text("the agent refused", &outcome->text_length);
}

static int32_t register_agents(void *context, const lsp_host_api *host) {
    (void)context;
    lsp_agent agent = {sizeof(lsp_agent), "slow", "Sleeps, then replies.", "/slow <ms>", slow, release, NULL};
    if (host->register_agent(host->host_context, &agent) != 0) return 1;
    lsp_agent failing = {sizeof(lsp_agent), "boom", "Always fails.", "/boom", boom, release, NULL};
    return host->register_agent(host->host_context, &failing);
}

static const lsp_plugin_descriptor descriptor = {
    LSP_PLUGIN_ABI_VERSION, sizeof(lsp_plugin_descriptor), "slow-agent", NULL, register_agents DESCRIPTOR_TOOLCHAIN};

const lsp_plugin_descriptor *llama_smart_proxy_plugin_entry(void) { return &descriptor; }
