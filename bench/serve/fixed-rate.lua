-- fixed-rate.lua — makes wrk send at a fixed overall rate (wrk2 is not in
-- Debian 12).  Each connection waits DELAY_MS between requests, so with
-- C connections the rate is C * 1000 / DELAY_MS requests/s.  Latency is
-- measured by wrk from send to response and does not include the wait.
-- The token / cookie come from the environment.
local delay_ms = tonumber(os.getenv("DELAY_MS") or "10")
local auth = os.getenv("AUTH_HEADER")

function init(args)
  if auth and auth ~= "" then
    local k, v = auth:match("^([^:]+):%s*(.*)$")
    wrk.headers[k] = v
  end
end

function delay()
  return delay_ms
end
