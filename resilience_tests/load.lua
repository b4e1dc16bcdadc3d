-- wrk script for the resilience load test: a fixed mix of requests, each with the status it must get.
--
-- Run with one connection per thread (-t N -c N): a thread's requests and responses then alternate
-- on one connection, so a FIFO of expected statuses pairs each response with its request.
-- Arguments after "--": entries "METHOD PATH STATUS". done() prints one "RESULT {json}" line.

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("index", counter)
  table.insert(threads, thread)
end

function init(args)
  mix = {}
  for _, entry in ipairs(args) do
    local method, path, status = entry:match("^(%S+) (%S+) (%d+)$")
    table.insert(mix, { method = method, path = path, status = tonumber(status) })
  end
  -- Threads start at different places in the mix, so the endpoints are interleaved from the start.
  position = index % #mix
  expected = {}
  head, tail = 1, 0
  answered, unexpected = 0, 0
  statuses = {}
  first_unexpected = ""
  -- wrk calls the first thread's request() once before connecting, to verify the script
  -- (script_verify_request in wrk.c): that request is never sent, so it must not be expected.
  verifying = index == 1
end

function request()
  position = position % #mix + 1
  local entry = mix[position]
  if verifying then
    verifying = false
    return wrk.format(entry.method, entry.path)
  end
  tail = tail + 1
  expected[tail] = entry
  return wrk.format(entry.method, entry.path)
end

function response(status, headers, body)
  local entry = expected[head]
  expected[head] = nil
  head = head + 1
  answered = answered + 1
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
  if entry == nil or status ~= entry.status then
    unexpected = unexpected + 1
    if first_unexpected == "" and entry ~= nil then
      first_unexpected = entry.method .. " " .. entry.path .. " -> " .. status
    end
  end
end

function done(summary, latency, requests)
  local total_answered, total_unexpected, merged, first = 0, 0, {}, ""
  for _, thread in ipairs(threads) do
    total_answered = total_answered + thread:get("answered")
    total_unexpected = total_unexpected + thread:get("unexpected")
    if first == "" then first = thread:get("first_unexpected") end
    for status, count in pairs(thread:get("statuses")) do
      merged[status] = (merged[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(merged) do
    table.insert(parts, string.format('"%s": %d', status, count))
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "answered": %d, "unexpected": %d, "first_unexpected": "%s", '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, '
      .. '"p50_us": %d, "p99_us": %d, "max_us": %d, "duration_us": %d, "statuses": {%s}}\n',
    summary.requests, total_answered, total_unexpected, first,
    e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max, summary.duration,
    table.concat(parts, ", ")))
end
