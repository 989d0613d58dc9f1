-- SPDX-License-Identifier: MIT
-- 0002_domain: what the domain layer (src/store/store_*.c) needs beyond 0001; the same
-- columns and constraints as migrations/sqlite/0002_domain.sql.
--
-- Per-tenant rate limit of the API (PRODUCT.md: "a default of 100 requests per time window
-- across the whole tenant"): -1 = the server's default, rate_limit 0 = unlimited.
ALTER TABLE tenants ADD COLUMN rate_limit BIGINT NOT NULL DEFAULT -1 CHECK (rate_limit >= -1);
ALTER TABLE tenants ADD COLUMN rate_window_s BIGINT NOT NULL DEFAULT -1
    CHECK (rate_window_s = -1 OR rate_window_s >= 1);

-- SQLite adds users_tenant_email_lower here for the lower(email) lookups of Console login and
-- the users filter. On PostgreSQL, 0001's unique index users_tenant_email is that very index
-- (tenant_id, lower(email)); a second one would only slow every write to users.
