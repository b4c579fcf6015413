-- wrk script for bench/tiles.sh: cycles through the tile paths in $TILES_PATHS; each thread starts at its own
-- offset (set by setup() as a global in the thread's Lua state). Counts non-200 answers on stderr.
local paths = {}
for line in io.lines(os.getenv("TILES_PATHS")) do
  paths[#paths + 1] = line
end
local counter = 0

function setup(thread)
  thread:set("offset", math.random(1, #paths))
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[((counter + (offset or 0)) % #paths) + 1])
end

function response(status, headers, body)
  if status ~= 200 then
    io.stderr:write("unexpected status " .. status .. "\n")
  end
end
