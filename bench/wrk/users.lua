-- SPDX-License-Identifier: MIT
-- wrk script for the "users" request of bench/run.sh: the first 20 users of the demo tenant,
-- read through lectern's authenticated API (POST /api/graphql with a developer token).
-- The token comes from the environment (BENCH_TOKEN), so that it is not on wrk's command line;
-- run.sh creates it with `lectern token create` against the server's fresh data directory.
local token = os.getenv("BENCH_TOKEN")
if token == nil or token == "" then
    io.stderr:write("users.lua: BENCH_TOKEN (a developer token, lct_...) is not set\n")
    os.exit(2)
end
wrk.method = "POST"
wrk.body = [[{"query":"{ users(first: 20) { edges { node { id email name roles { name } } } } }"}]]
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token
