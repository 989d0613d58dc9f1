-- SPDX-License-Identifier: MIT
-- 0003_rate_counters: rate-limit counters shared by the lectern nodes of a cluster
-- (src/auth/rate_share.c). One row per (kind, id, window): kind 1 = tenant, 2 = token; id the
-- tenant's or the token's; window_end the unix second the fixed window ends. Each node adds
-- the requests it let through since its last sync and reads the total. Rows of windows long
-- over are purged by the nodes. Not tenant data: no foreign key (a counter may outlive a token).

CREATE TABLE rate_counters (
    kind        INTEGER NOT NULL CHECK (kind IN (1, 2)),
    id          INTEGER NOT NULL CHECK (id > 0),
    window_end  INTEGER NOT NULL,
    hits        INTEGER NOT NULL CHECK (hits >= 0),
    PRIMARY KEY (kind, id, window_end)
) STRICT, WITHOUT ROWID;
CREATE INDEX rate_counters_window ON rate_counters (window_end);
