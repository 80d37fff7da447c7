#!/usr/bin/env python3
# Writes src/test/resources/corpus/benign-requests.jsonl: hand-written benign requests (pages,
# JSON APIs, form posts, file uploads). Deterministic (seeded). Run: python3 bulwark-waf/tools/generate_benign_requests.py
import json, base64, random
random.seed(7)
import os
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "corpus", "benign-requests.jsonl")
UAS = [
 "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
 "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15",
 "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
 "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
 "okhttp/4.12.0",
 "python-requests/2.31.0",
 "curl/8.5.0",
 "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36",
]
COOKIES = [
 "session=9f2c1e0b7a5d4c3e8f1a2b3c4d5e6f70; theme=dark",
 "cookie_consent=%7B%22necessary%22%3Atrue%2C%22analytics%22%3Afalse%7D; lang=en-GB",
 "_ga=GA1.2.1234567890.1700000000; _gid=GA1.2.987654321.1700000000; cart=3",
 "sid=s%3AAbCdEfGh.IjKlMnOpQrStUvWxYz0123456789; remember_me=1",
 "",
]
def headers(extra=None, ua=None, cookie=True):
    h = ["Host: shop.example.com", "User-Agent: " + (ua or random.choice(UAS)),
         "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
         "Accept-Language: en-US,en;q=0.9", "Accept-Encoding: gzip, deflate, br"]
    c = random.choice(COOKIES) if cookie else ""
    if c:
        h.append("Cookie: " + c)
    if random.random() < 0.5:
        h.append("Referer: https://shop.example.com/" + random.choice(["", "products", "search?q=shoes", "cart"]))
    return h + (extra or [])

reqs = []
def get(target, note, **kw):
    reqs.append({"note": note, "method": "GET", "target": target, "headers": headers(**kw)})

for t in ["/", "/index.html", "/products/1234?color=navy&size=m", "/search?q=running+shoes&page=2&sort=price_asc",
          "/search?q=%22exact+phrase%22&lang=en", "/search?q=c%23+tutorial", "/wiki/C%2B%2B",
          "/blog/2024/05/hello-world?utm_source=newsletter&utm_medium=email&utm_campaign=may_2024",
          "/?fbclid=IwAR2xY7zQ_abc123-def456", "/oauth/callback?code=4%2F0AeaYSHB&state=af0ifjsldkj&scope=openid%20email",
          "/redirect?url=https%3A%2F%2Fwww.example.com%2Fpage%3Fa%3D1", "/maps?ll=40.7128,-74.0060&z=12",
          "/calendar?from=2024-01-01&to=2024-01-31&tz=Europe%2FLondon", "/download?file=report-2024.pdf",
          "/api/items?filter[status]=active&filter[tags][]=sale&filter[tags][]=new",
          "/graphql?query=%7B%20user(id%3A%201)%20%7B%20name%20email%20%7D%20%7D",
          "/login?next=%2Fdashboard%3Ftab%3Dorders", "/newsletter?email=jane.doe%2Bshop%40example.com",
          "/static/js/app.3f9a1c.js", "/static/css/main.8d2e.css", "/images/logo@2x.png", "/favicon.ico",
          "/robots.txt", "/sitemap.xml", "/api/v1/users/42", "/api/v1/orders?limit=20&offset=40&sort=-created_at",
          "/products?category=men%27s-shoes&brand=O%27Neill", "/search?q=rock+%27n%27+roll+t-shirt",
          "/search?q=select+dresses+under+%2450", "/search?q=union+jack+flag", "/search?q=drop+earrings",
          "/search?q=1+or+2+person+tent", "/search?q=%3C3+mug", "/help/articles/how-to-delete-account",
          "/track?order=55-1234&zip=02139", "/compare?ids=12,15,19", "/feed.xml?category=news&format=rss",
          "/reset-password?token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.abc-DEF_123",
          "/share?text=Check%20this%20out%21%20%3A)&url=https%3A%2F%2Fshop.example.com%2Fp%2F9",
          "/events?date=2024-06-01..2024-06-30", "/files/docs/manual%20v2%20(final).pdf",
          "/api/search?q=title:%22war+and+peace%22+AND+author:tolstoy", "/a/b/c/d/e/f/index.php?id=15&lang=de",
          "/products/tables?material=oak&width=120-180", "/category/home-garden/lighting?page=3&per_page=48",
          "/unsubscribe?list=weekly&email=bob%40example.org&sig=d41d8cd98f00b204e9800998ecf8427e",
          "/api/geo?lat=51.5072&lon=-0.1276&radius=5km", "/search?q=how+to+use+ls+and+cat+in+linux",
          "/search?q=sql+select+where+tutorial", "/search?q=%24%7Bname%7D+template+syntax",
          "/docs/api/v2/#section-4", "/p/abc?ref=partner_42&coupon=SAVE10"]:
    get(t, "page or API GET")

def post(target, ctype, body, note, extra=None):
    reqs.append({"note": note, "method": "POST", "target": target,
                 "headers": headers(["Content-Type: " + ctype] + (extra or [])), "body": body})

J = "application/json"
for body in [
    {"items": [{"sku": "A-100", "qty": 2}, {"sku": "B-220", "qty": 1}], "coupon": None, "note": "Leave at the door, please."},
    {"query": "query GetUser($id: ID!) { user(id: $id) { name email orders(first: 5) { id total } } }", "variables": {"id": "42"}},
    {"operationName": "UpdateCart", "query": "mutation UpdateCart($input: CartInput!) { updateCart(input: $input) { id } }", "variables": {"input": {"lines": [{"id": "1", "quantity": 3}]}}},
    {"name": "Seán O'Connor", "address": {"line1": "12 O'Connell St.", "city": "Dublin", "postcode": "D01 F5P2"}, "phone": "+353 1 555 0100"},
    {"email": "jane.doe+shop@example.com", "password": "S3cr3t!'; pass", "remember": True},
    {"title": "Great product", "rating": 5, "body": "<p>I <strong>love</strong> this jacket. Size M fits well.</p><ul><li>warm</li><li>light</li></ul>"},
    {"comment": "Use `ls -la` to see hidden files, then `cat .bashrc` if you're curious.", "format": "markdown"},
    {"sort": "created_at desc", "filter": {"status": ["open", "pending"], "assignee": "me"}, "page": 2},
    {"search": "select dresses under $50 or skirts", "facets": ["size", "color"]},
    {"avatar": "data:image/png;base64," + base64.b64encode(bytes(range(0, 120))).decode(), "filename": "me.png"},
    {"token": "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"},
    {"events": [{"type": "page_view", "url": "https://shop.example.com/p/9?ref=home", "ts": 1717171717}, {"type": "click", "target": "#buy-now"}]},
    {"message": "Hi team,\n\nThe import failed with: ERROR 1064 near 'ORDER BY date' at line 1. Can you check?\n\nThanks, Priya"},
    {"config": {"retries": 3, "timeout_ms": 2500, "endpoints": ["https://api.example.com/v1", "https://backup.example.com/v1"]}},
    {"tags": ["c++", "c#", "f#", "node.js", "<template>"], "lang": "en"},
    {"question": "Is 1 = 1 always true, or does it depend on NULL semantics?", "topic": "databases"},
    {"bio": "Full-stack dev. I write SQL, bash & Go. Opinions: tabs > spaces; coffee || tea.", "website": "https://dev.example.net"},
    {"amount": 19.99, "currency": "EUR", "card": {"last4": "4242", "exp": "12/27"}, "idempotency_key": "7f3c-11ee-be56-0242ac120002"},
    {"lines": ["unit price: 5 < 10", "discount: 10%", "total: 4.50"]},
    {"greeting": "Hello ${name}, your order ${order} has shipped!", "template_id": "ship-01"},
    {"path": "docs/guides/getting-started.md", "branch": "main", "sha": "3f9a1c0"},
    {"text": "Café au lait costs €3,50 — très bon! 日本語もOK。"},
    {"redirect_uri": "https://app.example.com/callback", "client_id": "web-app", "scope": "openid profile email"},
    {"emoji": "👍🎉", "reaction": "like", "target_id": 998877},
    {"query": "SELECT name, price FROM products WHERE price < 20 ORDER BY price", "note": "saved report, runs in our analytics sandbox"},
]:
    note = "JSON API"
    if "SELECT name, price" in json.dumps(body):
        note = "JSON API (a saved analytics query: SQL on purpose; expected to be blocked as SQL)"
    post(random.choice(["/api/v1/orders", "/graphql", "/api/v1/profile", "/api/v1/reviews", "/api/v1/tickets", "/api/v1/events"]),
         J, json.dumps(body, ensure_ascii=False), note)

F = "application/x-www-form-urlencoded"
import urllib.parse as up
for fields in [
    {"username": "jane", "password": "p@ss'w0rd;", "remember": "on"},
    {"name": "Liam O'Brien", "email": "liam@example.ie", "message": "Hi, I ordered 2 or 3 items last week; can you update me on delivery? Thanks!"},
    {"first_name": "Zoë", "last_name": "D'Angelo", "address1": "5 Rue de l'Église", "city": "Lyon", "zip": "69001", "country": "FR"},
    {"q": "drop-down menu not working", "category": "bug", "priority": "high"},
    {"comment": "Great article! See also https://example.com/a?b=c&d=e for more.", "post_id": "381"},
    {"subscribe": "1", "email": "newsletter.fan@example.com", "frequency": "weekly"},
    {"search": "union station parking", "radius": "2"},
    {"title": "Select & Save deals", "body": "Buy 1 or 2, get 10% off; ends Sunday.", "publish": "true"},
    {"csrf_token": "a1b2c3d4e5f60718293a4b5c6d7e8f90", "action": "delete", "item_id": "77"},
    {"feedback": "The <b>bold</b> text in emails looks odd on my phone.", "rating": "4"},
    {"bio": "I love cats & dogs | hiking | cooking", "website": "https://me.example.org"},
    {"code": "print('hello world')", "language": "python"},
    {"amount": "25.00", "note": "For Tom & Jerry's birthday gift", "to": "tom@example.com"},
    {"answer": "SELECT is used to read rows; WHERE filters them.", "quiz_id": "sql-101"},
    {"query": "cat /proc/cpuinfo output attached, it says 8 cores", "ticket": "HELP-2231"},
    {"phone": "+1 (555) 010-0199", "ext": "#12", "best_time": "after 5pm"},
    {"password": "Tr0ub4dor&3", "password_confirm": "Tr0ub4dor&3"},
    {"dates": "2024-06-01 to 2024-06-05", "guests": "2 adults; 1 child", "notes": "Late check-in (after 11pm)"},
    {"url": "https://www.example.com/products?id=5&ref=home", "title": "Product 5"},
    {"message": "Can't log in -- it says \"invalid token\" every time.", "browser": "Firefox 125"},
]:
    post(random.choice(["/login", "/contact", "/checkout/address", "/support", "/comments", "/subscribe", "/profile"]),
         F, up.urlencode(fields), "form post")

def multipart(parts):
    b = "----WebKitFormBoundary7MA4YWxkTrZu0gW"
    out = b""
    for name, filename, ctype, data in parts:
        out += ("--" + b + "\r\n").encode()
        if filename:
            out += ('Content-Disposition: form-data; name="%s"; filename="%s"\r\nContent-Type: %s\r\n\r\n' % (name, filename, ctype)).encode()
        else:
            out += ('Content-Disposition: form-data; name="%s"\r\n\r\n' % name).encode()
        out += data + b"\r\n"
    out += ("--" + b + "--\r\n").encode()
    return "multipart/form-data; boundary=" + b, out

png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(random.getrandbits(8) for _ in range(1500))
jpg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + bytes(random.getrandbits(8) for _ in range(3000))
pdf = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" + b"stream\n" + bytes(random.getrandbits(8) for _ in range(2000)) + b"\nendstream\n%%EOF\n"
csv = b"id,name,email,notes\n1,Ann,ann@example.com,\"likes cats & dogs\"\n2,Bob O'Neil,bob@example.com,\"select seats: 2 or 3\"\n3,Cleo,cleo@example.com,\"drop-off after 5\"\n"
txt = b"Meeting notes\n- union rep will join\n- select a venue; drop the old one\n- update the budget table\n"
svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24"><circle cx="12" cy="12" r="10" fill="#0a7"/><path d="M7 12l3 3 7-7" stroke="#fff" fill="none"/></svg>'
jsonf = json.dumps({"name": "settings", "values": {"theme": "dark", "items": [1, 2, 3]}}).encode()
docx = b"PK\x03\x04\x14\x00\x06\x00" + bytes(random.getrandbits(8) for _ in range(2500))
uploads = [
    [("avatar", "me.png", "image/png", png)],
    [("photo", "IMG_2024.jpg", "image/jpeg", jpg), ("caption", None, None, b"Sunset at the union pier")],
    [("document", "invoice-0042.pdf", "application/pdf", pdf)],
    [("file", "contacts.csv", "text/csv", csv), ("overwrite", None, None, b"false")],
    [("notes", "notes.txt", "text/plain", txt)],
    [("icon", "check.svg", "image/svg+xml", svg)],
    [("config", "settings.json", "application/json", jsonf)],
    [("cv", "resume.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", docx), ("name", None, None, b"Dana O'Hara")],
    [("attachment", "log.txt", "text/plain", b"2024-05-01 10:00:01 INFO started\n2024-05-01 10:00:02 WARN disk 91% full\n")],
    [("images[]", "a.png", "image/png", png[:800]), ("images[]", "b.png", "image/png", png[800:])],
]
for parts in uploads:
    ctype, body = multipart(parts)
    reqs.append({"note": "file upload", "method": "POST", "target": random.choice(["/upload", "/api/v1/files", "/profile/avatar"]),
                 "headers": headers(["Content-Type: " + ctype]), "body-base64": base64.b64encode(body).decode()})

with open(OUT, "w") as f:
    f.write("")
    for r in reqs:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
print(len(reqs))
