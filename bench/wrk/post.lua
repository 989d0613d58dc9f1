-- SPDX-License-Identifier: MIT
-- wrk script for the "post" request of bench/run.sh: the like mutation as a JSON POST body.
-- A long bracket string keeps the JSON escapes (\") literal.
wrk.method = "POST"
wrk.body = [[{"query":"mutation{like(artist:\"Fazerdaze\",song:\"Jennifer\"){likes}}"}]]
wrk.headers["Content-Type"] = "application/json"
