-- SPDX-License-Identifier: MIT
-- 0001_init: the whole data model of PRODUCT.md for the SQLite backend. Applied in one
-- transaction by src/store/sqlite.c, which records it in schema_migrations.
--
-- Conventions. INTEGER primary keys. Every tenant-owned table carries tenant_id, and every link
-- between tenant-owned rows is a composite foreign key (tenant_id, x_id) -> x(tenant_id, id),
-- so that a row can only ever point at rows of its own tenant: a cross-tenant link is
-- impossible at the database level, whatever the code does. Times are INTEGER unix seconds
-- (UTC). Statuses are closed sets checked here. Tables are STRICT (no silent type coercion).
-- Users, roles and tokens are never hard-deleted by the product except custom roles; the
-- audit log is append-only.

CREATE TABLE tenants (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE
                CHECK (length(slug) BETWEEN 1 AND 63
                       AND slug GLOB '[a-z0-9]*'
                       AND slug NOT GLOB '*[^a-z0-9-]*'
                       AND slug NOT GLOB '*-'),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deactivated')),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;

-- Learners are users without a password (no Console access).
CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    tenant_id      INTEGER NOT NULL REFERENCES tenants (id),
    -- Unique per tenant regardless of ASCII case (the UNIQUE below inherits NOCASE).
    email          TEXT NOT NULL COLLATE NOCASE
                   CHECK (length(email) BETWEEN 3 AND 254 AND email GLOB '?*@?*'),
    name           TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    status         TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deactivated')),
    password_hash  TEXT CHECK (password_hash IS NULL
                               OR (password_hash GLOB '$argon2*' AND length(password_hash) <= 255)),
    failed_logins  INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
    locked_until   INTEGER,
    last_login_at  INTEGER,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, email)
) STRICT;
-- Search and sort by name within a tenant; filter by status.
CREATE INDEX users_tenant_name ON users (tenant_id, name COLLATE NOCASE);
CREATE INDEX users_tenant_status ON users (tenant_id, status);

-- builtin: 'console_admin' or 'learner' for the two roles every tenant has, NULL for custom
-- roles. Built-in roles take their permissions from the catalog in code, not from
-- role_permissions, so a permission added by a later version is part of Console Admin at once.
CREATE TABLE roles (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL REFERENCES tenants (id),
    name         TEXT NOT NULL COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 200),
    description  TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 1000),
    builtin      TEXT CHECK (builtin IN ('console_admin', 'learner')),
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, name),
    UNIQUE (tenant_id, builtin)  -- one of each per tenant; NULLs (custom roles) are distinct
) STRICT;

-- Built-in roles cannot be edited or deleted, and no role becomes built in later.
CREATE TRIGGER roles_builtin_immutable BEFORE UPDATE ON roles
WHEN OLD.builtin IS NOT NULL OR NEW.builtin IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'built-in roles cannot be changed');
END;
CREATE TRIGGER roles_builtin_undeletable BEFORE DELETE ON roles
WHEN OLD.builtin IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'built-in roles cannot be deleted');
END;

-- Permissions of custom roles, by catalog name ('read:users'). A name the catalog no longer
-- knows grants nothing.
CREATE TABLE role_permissions (
    tenant_id   INTEGER NOT NULL,
    role_id     INTEGER NOT NULL,
    permission  TEXT NOT NULL
                CHECK (length(permission) BETWEEN 3 AND 64
                       AND permission GLOB '[a-z]*:[a-z]*'
                       AND permission NOT GLOB '*[^a-z_:]*'),
    PRIMARY KEY (tenant_id, role_id, permission),
    FOREIGN KEY (tenant_id, role_id) REFERENCES roles (tenant_id, id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

CREATE TRIGGER role_permissions_not_builtin BEFORE INSERT ON role_permissions
WHEN (SELECT builtin FROM roles WHERE id = NEW.role_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'built-in roles take their permissions from the catalog');
END;

CREATE TABLE user_roles (
    tenant_id   INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    role_id     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, user_id, role_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, role_id) REFERENCES roles (tenant_id, id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
-- Users holding a role (filter users by role; the last-Console-Admin rule; role deletion).
CREATE INDEX user_roles_role ON user_roles (tenant_id, role_id, user_id);

-- Developer tokens. The secret is never stored: token_hash is its SHA-256; hint is the short
-- display form. permissions NULL = all of the creator's live permissions, else a JSON array
-- naming a subset. The creator (and tenant, and hash) can never change: see the trigger.
CREATE TABLE developer_tokens (
    id               INTEGER PRIMARY KEY,
    tenant_id        INTEGER NOT NULL,
    creator_user_id  INTEGER NOT NULL,
    name             TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    token_hash       BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    hint             TEXT NOT NULL CHECK (length(hint) BETWEEN 1 AND 32),
    status           TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deactivated')),
    permissions      TEXT CHECK (permissions IS NULL
                                 OR (json_valid(permissions)
                                     AND json_type(permissions) = 'array'
                                     AND length(permissions) <= 4096)),
    expires_at       INTEGER,
    last_used_at     INTEGER,
    last_used_ip     TEXT CHECK (length(last_used_ip) <= 45),
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, creator_user_id) REFERENCES users (tenant_id, id),
    CHECK (expires_at IS NULL OR expires_at > created_at)
) STRICT;
-- token_hash has its UNIQUE index (authentication); (tenant_id, id) serves listing.
CREATE INDEX developer_tokens_creator ON developer_tokens (tenant_id, creator_user_id);

CREATE TRIGGER developer_tokens_identity_immutable
BEFORE UPDATE OF tenant_id, creator_user_id, token_hash, created_at ON developer_tokens
WHEN NEW.tenant_id IS NOT OLD.tenant_id
  OR NEW.creator_user_id IS NOT OLD.creator_user_id
  OR NEW.token_hash IS NOT OLD.token_hash
  OR NEW.created_at IS NOT OLD.created_at
BEGIN
    SELECT RAISE(ABORT, 'the creator, tenant and hash of a developer token cannot change');
END;

CREATE TABLE courses (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id),
    title       TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    code        TEXT NOT NULL COLLATE NOCASE CHECK (length(code) BETWEEN 1 AND 64),
    status      TEXT NOT NULL DEFAULT 'draft'
                CHECK (status IN ('draft', 'published', 'archived')),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, code)
) STRICT;
CREATE INDEX courses_tenant_title ON courses (tenant_id, title COLLATE NOCASE);

-- A user in a course. One enrollment per (course, user); the unique index leads with
-- tenant_id so that it also serves the foreign key to courses.
CREATE TABLE enrollments (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL,
    course_id   INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    status      TEXT NOT NULL DEFAULT 'enrolled'
                CHECK (status IN ('enrolled', 'in_progress', 'completed', 'withdrawn')),
    progress    INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    started_at  INTEGER,
    ended_at    INTEGER,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, course_id, user_id),
    FOREIGN KEY (tenant_id, course_id) REFERENCES courses (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
    CHECK (ended_at IS NULL OR started_at IS NULL OR ended_at >= started_at)
) STRICT;
CREATE INDEX enrollments_user ON enrollments (tenant_id, user_id);

-- Who (user, and the token if one was used), what (action, target), when, from where, with a
-- small JSON object of detail. A NULL actor is the system (`lectern init`, migrations).
-- Append-only: see the triggers.
CREATE TABLE audit_events (
    id              INTEGER PRIMARY KEY,
    tenant_id       INTEGER NOT NULL REFERENCES tenants (id),
    actor_user_id   INTEGER,
    actor_token_id  INTEGER,
    action          TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 64),
    target_type     TEXT CHECK (length(target_type) BETWEEN 1 AND 64),
    target_id       INTEGER,
    ip              TEXT CHECK (length(ip) <= 45),
    detail          TEXT CHECK (detail IS NULL
                                OR (json_valid(detail)
                                    AND json_type(detail) = 'object'
                                    AND length(detail) <= 4096)),
    created_at      INTEGER NOT NULL,
    FOREIGN KEY (tenant_id, actor_user_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, actor_token_id) REFERENCES developer_tokens (tenant_id, id),
    CHECK (actor_token_id IS NULL OR actor_user_id IS NOT NULL),
    CHECK (target_id IS NULL OR target_type IS NOT NULL)
) STRICT;
CREATE INDEX audit_events_tenant_created ON audit_events (tenant_id, created_at);
CREATE INDEX audit_events_actor_user ON audit_events (tenant_id, actor_user_id);
CREATE INDEX audit_events_actor_token ON audit_events (tenant_id, actor_token_id)
    WHERE actor_token_id IS NOT NULL;

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;

-- Console sessions. As with tokens, only SHA-256 hashes of the cookie's session ID and of the
-- CSRF token are stored.
CREATE TABLE console_sessions (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL,
    user_id       INTEGER NOT NULL,
    session_hash  BLOB NOT NULL UNIQUE CHECK (length(session_hash) = 32),
    csrf_hash     BLOB NOT NULL CHECK (length(csrf_hash) = 32),
    created_at    INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    ip            TEXT CHECK (length(ip) <= 45),
    user_agent    TEXT CHECK (length(user_agent) <= 512),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
    CHECK (expires_at > created_at AND last_seen_at >= created_at)
) STRICT;
-- Sign a user out everywhere (deactivation, password reset); purge expired sessions.
CREATE INDEX console_sessions_user ON console_sessions (tenant_id, user_id);
CREATE INDEX console_sessions_expires ON console_sessions (expires_at);
