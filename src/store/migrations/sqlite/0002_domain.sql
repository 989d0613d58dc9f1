-- SPDX-License-Identifier: MIT
-- 0002_domain: what the domain layer (src/store/store_*.c) needs beyond 0001.
--
-- Per-tenant rate limit of the API (PRODUCT.md: "a default of 100 requests per time window
-- across the whole tenant"): -1 = the server's default, rate_limit 0 = unlimited.
ALTER TABLE tenants ADD COLUMN rate_limit INTEGER NOT NULL DEFAULT -1 CHECK (rate_limit >= -1);
ALTER TABLE tenants ADD COLUMN rate_window_s INTEGER NOT NULL DEFAULT -1
    CHECK (rate_window_s = -1 OR rate_window_s >= 1);

-- Console login and the users filter compare lower(email) (the same SQL runs on PostgreSQL,
-- whose = is case-sensitive); this index serves them.
CREATE INDEX users_tenant_email_lower ON users (tenant_id, lower(email));
