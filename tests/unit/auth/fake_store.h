/* SPDX-License-Identifier: MIT */
/* Test hooks of fake_store.c (built only into the *_fake test executables, which define
 * LC_FAKE_STORE). */
#ifndef LECTERN_TEST_FAKE_STORE_H
#define LECTERN_TEST_FAKE_STORE_H

#include <stdatomic.h>

/* Every store call except lc_store_generation. */
extern _Atomic long fake_store_calls;
/* When non-zero, the next lc_store_token_auth returns it (then it is reset). */
extern int fake_store_fail_next;

#endif
