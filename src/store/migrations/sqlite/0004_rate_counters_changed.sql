-- SPDX-License-Identifier: MIT
-- 0004_rate_counters_changed: when each rate counter was last added to, in unix milliseconds of
-- the adding node's clock, so that a node learns every counter the others changed since its last
-- look in one query (lc_store_rate_changed) instead of one per key, including the keys it has
-- been idle for. 0 for counters written before this migration.
-- Same change as migrations/postgres/0004_rate_counters_changed.sql.

ALTER TABLE rate_counters ADD COLUMN updated_ms INTEGER NOT NULL DEFAULT 0;
CREATE INDEX rate_counters_updated ON rate_counters (updated_ms);
