/* SPDX-License-Identifier: MIT */
/* The registry of a store's per-thread connections, shared by the backends (sqlite.c,
 * postgres.c): a pthread key that holds each thread's connection and frees it when the thread
 * exits, and a list of all of them under a mutex, for lc_store_close and the connections count.
 * What a connection is, and how it is opened and freed, is the backend's. */
#include "store_int.h"

#include "lectern/log.h"

static lc__conn_link_t *link_of(lc__conn_t *c) {
    return (lc__conn_link_t *)(void *)c; /* every backend's connection starts with it */
}

static void unlink_conn(lc__conn_t *c) {
    lc__conns_t *r = link_of(c)->conns;
    pthread_mutex_lock(&r->lock);
    for (lc__conn_t **pp = &r->list; *pp != NULL; pp = &link_of(*pp)->next) {
        if (*pp == c) {
            *pp = link_of(c)->next;
            r->n--;
            break;
        }
    }
    pthread_mutex_unlock(&r->lock);
}

/* pthread key destructor: the thread is exiting while the store is open. */
static void at_thread_exit(void *p) {
    lc__conn_t *c = p;
    lc__conns_t *r = link_of(c)->conns;
    unlink_conn(c);
    r->free_conn(c);
}

int lc__conns_init(lc__conns_t *r, lc__conn_free_fn free_conn) {
    r->free_conn = free_conn;
    if (pthread_mutex_init(&r->lock, NULL) != 0)
        return LC_ENOMEM;
    r->lock_ok = true;
    if (pthread_key_create(&r->key, at_thread_exit) != 0) {
        lc_log_msg(LC_LOG_ERROR, "store.open", "no thread-specific key left");
        return LC_ELIMIT;
    }
    r->key_ok = true;
    return LC_OK;
}

void lc__conns_dispose(lc__conns_t *r) {
    /* Deleting the key first: no thread-exit destructor can race with the loop below (callers
     * guarantee no other thread still uses the store). */
    if (r->key_ok)
        pthread_key_delete(r->key);
    r->key_ok = false;
    while (r->list != NULL) {
        lc__conn_t *c = r->list;
        r->list = link_of(c)->next;
        r->free_conn(c);
    }
    r->n = 0;
    if (r->lock_ok)
        pthread_mutex_destroy(&r->lock);
    r->lock_ok = false;
}

lc__conn_t *lc__conns_mine(lc__conns_t *r) {
    return pthread_getspecific(r->key);
}

int lc__conns_add(lc__conns_t *r, lc__conn_t *c) {
    lc__conn_link_t *l = link_of(c);
    l->conns = r;
    pthread_mutex_lock(&r->lock);
    l->next = r->list;
    r->list = c;
    r->n++;
    pthread_mutex_unlock(&r->lock);
    if (pthread_setspecific(r->key, c) != 0) {
        unlink_conn(c);
        r->free_conn(c);
        return LC_ENOMEM;
    }
    return LC_OK;
}

void lc__conns_discard(lc__conn_t *c) {
    lc__conns_t *r = link_of(c)->conns;
    (void)pthread_setspecific(r->key, NULL);
    unlink_conn(c);
    r->free_conn(c);
}

size_t lc__conns_count(lc__conns_t *r) {
    pthread_mutex_lock(&r->lock);
    size_t n = r->n;
    pthread_mutex_unlock(&r->lock);
    return n;
}
