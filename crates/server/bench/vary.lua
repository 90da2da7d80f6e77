-- Relations requests over varied pairs and one-year ranges: 612 distinct queries.
local actors = {"USA","PRK","CHN","RUS","JPN","KOR","FRA","DEU","GBR","UKR","IRN","ISR","IND","TUR"}
local n = 0
request = function()
  n = n + 1
  local a = actors[(n % #actors) + 1]
  local b = actors[((n * 7 + 3) % #actors) + 1]
  if a == b then b = "IGOUNO" end
  local y = 2015 + (n % 10)
  local m = (n % 12) + 1
  local path = string.format("/api/relations?a=%s&b=%s&by=week&from=%d-%02d-01&to=%d-%02d-28", a, b, y, m, y + 1, m)
  return wrk.format("GET", path)
end
