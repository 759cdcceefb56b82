-- wrk script: each connection sends one request every 1000/FP_CONN_RATE ms (wrk's delay() runs
-- before each request), so the load is a fixed rate, not as fast as the server answers.
-- FP_METHOD, FP_BODY: e.g. POST and a JSON body (sent with Content-Type: application/json).
local rate = tonumber(os.getenv("FP_CONN_RATE") or "50")
local method = os.getenv("FP_METHOD")
local body = os.getenv("FP_BODY")
if method and method ~= "" then wrk.method = method end
if body and body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end
function delay()
  return 1000 / rate
end
