-- wrk script for bench/intake.py: every request is a new submission with its own idempotency key.
local counter = 0
local prefix = ""

function setup(thread)
  thread:set("tid", tostring(math.random(1, 1e9)))
end

function init(args)
  prefix = tid .. "-" .. tostring(os.time())
end

function request()
  counter = counter + 1
  -- Residents come from many networks (behind the proxy the server trusts): each request its own address,
  -- so the anonymous-intake limit holds each of them back, not the benchmark.
  local address = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254))
  local body = string.format(
    '{"description":"小区门口的路灯坏了好几天，晚上很黑","phone":"13800000099","category":"C13","address":"观澜苑北门","idempotency_key":"wrk-%s-%d"}',
    prefix, counter)
  return wrk.format("POST", "/api/cases/", {["Content-Type"] = "application/json", ["X-Forwarded-For"] = address}, body)
end
