/* SPDX-License-Identifier: MIT */
/* Names and texts of lc_status_t, for logs and error messages. */
#include "lectern/status.h"

const char *lc_status_name(int status) {
    switch (status) {
#define LC_X(name, value, text)                                                                    \
    case value:                                                                                    \
        return #name;
        LC_STATUS_LIST(LC_X)
#undef LC_X
    }
    return "LC_UNKNOWN";
}

const char *lc_status_text(int status) {
    switch (status) {
#define LC_X(name, value, text)                                                                    \
    case value:                                                                                    \
        return text;
        LC_STATUS_LIST(LC_X)
#undef LC_X
    }
    return "unknown status";
}
