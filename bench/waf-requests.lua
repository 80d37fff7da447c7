-- The request shapes of bench/waf.sh and bench/waf-peer.sh (wrk script; SHAPE=repeat|browse|fresh).
--   repeat  the same request every time;
--   browse  returning visitors: 200 sessions, 300 query strings, 300 Referer pages, drawn at random,
--           so every value recurs but hardly any two requests have the same headers and query;
--   fresh   a new query, Referer and session cookie on every request (no value recurs).
wrk.headers["Host"] = "shop.example.com"
wrk.headers["User-Agent"] = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
wrk.headers["Accept"] = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
wrk.headers["Accept-Language"] = "en-US,en;q=0.9,fr;q=0.8"
wrk.headers["Accept-Encoding"] = "identity"
wrk.headers["Sec-Fetch-Site"] = "same-origin"
wrk.headers["Sec-Fetch-Mode"] = "navigate"
wrk.headers["Upgrade-Insecure-Requests"] = "1"
local cookies = "; theme=dark; cookie_consent=%7B%22necessary%22%3Atrue%2C%22analytics%22%3Afalse%7D; _ga=GA1.2.1234567890.1700000000"
local query = "?color=navy&size=42&sort=price_asc&page=2&utm_source=newsletter&utm_medium=email&utm_campaign=spring_sale_2026"
wrk.headers["Referer"] = "https://shop.example.com/search?q=running+shoes+for+trail"
wrk.headers["Cookie"] = "session=9f2c1e0b7a5d4c3e8f1a2b3c4d5e6f70" .. cookies
wrk.path = "/products/running-shoes" .. query
local shape = os.getenv("SHAPE") or "repeat"
local colors = {"navy", "black", "white", "red", "olive", "grey"}
local sorts = {"price_asc", "price_desc", "newest", "rating"}
local n = 0
math.randomseed(42)
local function session(k)
  return string.format("session=%08x%08x", k * 2654435761 % 4294967296, k)
end
request = function()
  if shape == "fresh" then
    n = n + 1
    wrk.headers["Referer"] = "https://shop.example.com/search?q=running+shoes+" .. n
    wrk.headers["Cookie"] = session(n) .. cookies
    return wrk.format("GET", "/products/running-shoes?color=navy&size=" .. (n % 50) .. "&sort=price_asc&page=" .. n
      .. "&utm_source=newsletter&utm_medium=email&utm_campaign=c" .. (n * 7919))
  elseif shape == "browse" then
    local q = math.random(0, 299)
    wrk.headers["Referer"] = "https://shop.example.com/products/item-" .. math.random(0, 299) .. "?ref=list"
    wrk.headers["Cookie"] = session(math.random(1, 200)) .. cookies
    return wrk.format("GET", "/products/running-shoes?color=" .. colors[q % 6 + 1] .. "&size=" .. (36 + q % 12)
      .. "&sort=" .. sorts[q % 4 + 1] .. "&page=" .. (q % 25 + 1) .. "&utm_source=newsletter&utm_medium=email")
  end
  return wrk.format()
end
