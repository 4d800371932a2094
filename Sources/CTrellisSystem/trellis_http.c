#define _GNU_SOURCE
#include "CTrellisSystem.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * HTTP requests through libcurl, loaded with dlopen the first time an http step runs.
 *
 * Linking libcurl (directly or through FoundationNetworking) would load it and its ~25
 * dependencies (TLS, Kerberos, LDAP, IDN, ...) into every trellis process at start — the server,
 * the scheduler and each run agent — and run their initialisers, for a step type most runs never
 * use. Those libraries made up about half of a run agent's start-up time.
 *
 * libcurl's ABI is stable: the option and info numbers below are the ones of curl/curl.h
 * (CURLOPT(name, type, number) = type base + number; CURLINFO_LONG = 0x200000), unchanged since
 * libcurl 7.x.
 */

typedef void CURL;
struct curl_slist;

enum {
    T_CURLOPT_WRITEDATA = 10001,
    T_CURLOPT_URL = 10002,
    T_CURLOPT_ERRORBUFFER = 10010,
    T_CURLOPT_WRITEFUNCTION = 20011,
    T_CURLOPT_POSTFIELDS = 10015,
    T_CURLOPT_HTTPHEADER = 10023,
    T_CURLOPT_HEADERDATA = 10029,
    T_CURLOPT_CUSTOMREQUEST = 10036,
    T_CURLOPT_NOBODY = 44,
    T_CURLOPT_FOLLOWLOCATION = 52,
    T_CURLOPT_HEADERFUNCTION = 20079,
    T_CURLOPT_NOSIGNAL = 99,
    T_CURLOPT_TIMEOUT_MS = 155,
    T_CURLOPT_POSTFIELDSIZE_LARGE = 30120,
    T_CURLINFO_RESPONSE_CODE = 0x200000 + 2,
    T_CURLE_OK = 0,
    T_CURLE_OPERATION_TIMEDOUT = 28,
    T_CURL_GLOBAL_ALL = 3,
    T_CURL_ERROR_SIZE = 256,
};

static struct {
    int (*global_init)(long);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    int (*easy_setopt)(CURL *, int, ...);
    int (*easy_perform)(CURL *);
    int (*easy_getinfo)(CURL *, int, ...);
    const char *(*easy_strerror)(int);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
} curl;

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static char curl_load_error[512];

static void load_curl(void) {
    static const char *names[] = {"libcurl.so.4", "libcurl.so", "libcurl-gnutls.so.4", NULL};
    void *handle = NULL;
    for (int i = 0; names[i] && !handle; i++) handle = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char *why = dlerror();
        snprintf(curl_load_error, sizeof curl_load_error, "http steps need libcurl (libcurl.so.4): %s", why ? why : "not found");
        return;
    }
#define LOAD(field, symbol) *(void **)(&curl.field) = dlsym(handle, symbol)
    LOAD(global_init, "curl_global_init");
    LOAD(easy_init, "curl_easy_init");
    LOAD(easy_cleanup, "curl_easy_cleanup");
    LOAD(easy_setopt, "curl_easy_setopt");
    LOAD(easy_perform, "curl_easy_perform");
    LOAD(easy_getinfo, "curl_easy_getinfo");
    LOAD(easy_strerror, "curl_easy_strerror");
    LOAD(slist_append, "curl_slist_append");
    LOAD(slist_free_all, "curl_slist_free_all");
#undef LOAD
    if (!curl.global_init || !curl.easy_init || !curl.easy_cleanup || !curl.easy_setopt || !curl.easy_perform
        || !curl.easy_getinfo || !curl.easy_strerror || !curl.slist_append || !curl.slist_free_all) {
        snprintf(curl_load_error, sizeof curl_load_error, "http steps need libcurl: a libcurl function is missing");
        curl.easy_init = NULL;
        return;
    }
    if (curl.global_init(T_CURL_GLOBAL_ALL) != T_CURLE_OK) {
        snprintf(curl_load_error, sizeof curl_load_error, "http steps need libcurl: curl_global_init failed");
        curl.easy_init = NULL;
    }
}

/* A growing byte buffer for the body and the header block. */
typedef struct {
    char *data;
    size_t length;
    size_t capacity;
    int failed;
} buffer_t;

static size_t buffer_append(buffer_t *buffer, const char *bytes, size_t count) {
    if (buffer->failed) return 0;
    if (buffer->length + count + 1 > buffer->capacity) {
        size_t capacity = buffer->capacity ? buffer->capacity : 4096;
        while (buffer->length + count + 1 > capacity) capacity *= 2;
        char *grown = realloc(buffer->data, capacity);
        if (!grown) {
            buffer->failed = 1;
            return 0;
        }
        buffer->data = grown;
        buffer->capacity = capacity;
    }
    memcpy(buffer->data + buffer->length, bytes, count);
    buffer->length += count;
    buffer->data[buffer->length] = 0;
    return count;
}

static size_t on_body(char *bytes, size_t size, size_t count, void *context) {
    return buffer_append(context, bytes, size * count);
}

/* Keeps only the header block of the last response: a status line starts a new block, so the
 * headers of redirects and of `100 Continue` are dropped. */
static size_t on_header(char *bytes, size_t size, size_t count, void *context) {
    buffer_t *buffer = context;
    size_t total = size * count;
    if (total >= 5 && memcmp(bytes, "HTTP/", 5) == 0) buffer->length = 0;
    return buffer_append(buffer, bytes, total) == total ? total : 0;
}

int trellis_http_perform(const char *method, const char *url, const char *const *headers, const char *body,
                         size_t body_length, int has_body, long timeout_ms, trellis_http_response *out) {
    memset(out, 0, sizeof *out);
    pthread_once(&curl_once, load_curl);
    if (!curl.easy_init) {
        snprintf(out->error, sizeof out->error, "%s", curl_load_error);
        return -1;
    }
    CURL *handle = curl.easy_init();
    if (!handle) {
        snprintf(out->error, sizeof out->error, "cannot start an HTTP request (curl_easy_init)");
        return -1;
    }
    char error_text[T_CURL_ERROR_SIZE] = {0};
    buffer_t body_buffer = {0}, header_buffer = {0};
    struct curl_slist *list = NULL;
    for (size_t i = 0; headers && headers[i]; i++) {
        struct curl_slist *next = curl.slist_append(list, headers[i]);
        if (!next) break;
        list = next;
    }
    curl.easy_setopt(handle, T_CURLOPT_NOSIGNAL, 1L);
    curl.easy_setopt(handle, T_CURLOPT_URL, url);
    curl.easy_setopt(handle, T_CURLOPT_ERRORBUFFER, error_text);
    curl.easy_setopt(handle, T_CURLOPT_FOLLOWLOCATION, 1L);
    curl.easy_setopt(handle, T_CURLOPT_WRITEFUNCTION, on_body);
    curl.easy_setopt(handle, T_CURLOPT_WRITEDATA, &body_buffer);
    curl.easy_setopt(handle, T_CURLOPT_HEADERFUNCTION, on_header);
    curl.easy_setopt(handle, T_CURLOPT_HEADERDATA, &header_buffer);
    if (list) curl.easy_setopt(handle, T_CURLOPT_HTTPHEADER, list);
    if (timeout_ms > 0) curl.easy_setopt(handle, T_CURLOPT_TIMEOUT_MS, timeout_ms);
    if (has_body) {
        curl.easy_setopt(handle, T_CURLOPT_POSTFIELDSIZE_LARGE, (int64_t)body_length);
        curl.easy_setopt(handle, T_CURLOPT_POSTFIELDS, body ? body : "");
    }
    if (strcmp(method, "HEAD") == 0) curl.easy_setopt(handle, T_CURLOPT_NOBODY, 1L);
    curl.easy_setopt(handle, T_CURLOPT_CUSTOMREQUEST, method);
    int code = curl.easy_perform(handle);
    int result = 0;
    if (code != T_CURLE_OK) {
        out->timed_out = code == T_CURLE_OPERATION_TIMEDOUT;
        snprintf(out->error, sizeof out->error, "%s", error_text[0] ? error_text : curl.easy_strerror(code));
        result = -1;
    } else if (body_buffer.failed || header_buffer.failed) {
        snprintf(out->error, sizeof out->error, "out of memory reading the HTTP response");
        result = -1;
    } else {
        long status = 0;
        curl.easy_getinfo(handle, T_CURLINFO_RESPONSE_CODE, &status);
        out->status = (int)status;
        out->body = body_buffer.data;
        out->body_length = body_buffer.length;
        out->headers = header_buffer.data;
        out->headers_length = header_buffer.length;
        body_buffer.data = NULL;
        header_buffer.data = NULL;
    }
    free(body_buffer.data);
    free(header_buffer.data);
    if (list) curl.slist_free_all(list);
    curl.easy_cleanup(handle);
    return result;
}

void trellis_http_response_free(trellis_http_response *response) {
    free(response->body);
    free(response->headers);
    response->body = NULL;
    response->headers = NULL;
}
