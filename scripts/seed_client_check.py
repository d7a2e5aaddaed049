#!/usr/bin/env python3
"""Drives a running O2Sound with the seed documents' own Python client.

The O2SoundClient class below is copied unchanged from the seed's API quick reference
(shared/seeds/001_*.txt). The script signs up, then walks join → login → profile →
profile update → items → videos → logout with requests.Session and checks the
documented bodies and status codes. Usage: seed_client_check.py BASE_URL [COOKIE_FILE]
With --workflow SITE_URL instead of COOKIE_FILE it runs the seed's usage loop: log in,
start_video_generation, then check_progress every 5 seconds until "combined".
It prints one line per check and exits non-zero on the first failure; when
COOKIE_FILE is given, the session cookie of a fresh login is written there so a caller
can check that the session survives a server restart.
"""
import sys
import time
import uuid

import requests
import json


# --- from the seed, unchanged ------------------------------------------------------
class O2SoundClient:
    def __init__(self, base_url="http://localhost:8000"):
        self.base_url = base_url
        self.session = requests.Session()
    
    def login(self, user_id, password):
        response = self.session.post(
            f"{self.base_url}/auth/login",
            json={"user_id": user_id, "password": password}
        )
        return response.json()
    
    def start_video_generation(self, url):
        response = self.session.post(
            f"{self.base_url}/moviemaker/start-workflow",
            json={"url": url}
        )
        return response.json()
    
    def check_progress(self, task_id):
        response = self.session.post(
            f"{self.base_url}/moviemaker/progress",
            json={"task_id": task_id}
        )
        return response.json()
# -----------------------------------------------------------------------------------


def check(cond, what, resp=None):
    if not cond:
        extra = f": {resp.status_code} {resp.text}" if resp is not None else ""
        print(f"FAIL {what}{extra}")
        sys.exit(1)
    print(f"ok   {what}")


def workflow(base, site):
    """The seed's usage example, with a deadline so a broken server fails the check."""
    user_id = "seed_" + uuid.uuid4().hex[:8]
    r = requests.post(f"{base}/auth/join", json={"user_id": user_id, "name": "John Doe", "password": "SecurePass123!"})
    check(r.status_code == 201, "join", r)

    client = O2SoundClient(base)
    client.login(user_id, "SecurePass123!")
    result = client.start_video_generation(site)
    task_id = result["task_id"]
    check(set(result["progress"]) == {"metadata", "lyrics", "songs", "images", "movies", "combined"},
          "start_video_generation -> {task_id, progress}")

    deadline = time.time() + 240
    while True:
        progress = client.check_progress(task_id)
        print(progress["progress"], progress.get("state"), progress.get("percent"))
        if progress["progress"]["combined"]:
            break
        check(progress.get("state") not in ("failed", "cancelled") and time.time() < deadline,
              "the task is still on its way")
        time.sleep(5)
    video = progress["video"]["url"]
    r = client.session.get(f"{base}{video}", headers={"Range": "bytes=0-99"})
    check(r.status_code == 206 and len(r.content) == 100, "the finished video streams", r)
    print("video complete")


def main():
    base = sys.argv[1].rstrip("/")
    if len(sys.argv) > 3 and sys.argv[2] == "--workflow":
        workflow(base, sys.argv[3])
        return
    cookie_file = sys.argv[2] if len(sys.argv) > 2 else None
    user_id = "seed_" + uuid.uuid4().hex[:8]
    password = "SecurePass123!"

    s = requests.Session()
    r = s.post(f"{base}/auth/join", json={"user_id": user_id, "name": "John Doe", "password": password,
                                           "email": f"{user_id}@example.com", "phone_number": "010-1234-5678"})
    check(r.status_code == 201 and set(r.json()) == {"id", "name"}, "POST /auth/join -> 201 {id, name}", r)
    uid = r.json()["id"]

    client = O2SoundClient(base)
    body = client.login(user_id, password)
    check(body == {"id": uid, "name": "John Doe"}, "seed O2SoundClient.login -> {id, name}")
    check("session" in client.session.cookies, "seed client holds the session cookie")

    r = s.post(f"{base}/auth/login", json={"user_id": user_id, "password": password})
    check(r.status_code == 200 and r.json()["id"] == uid, "POST /auth/login -> 200", r)
    r = s.post(f"{base}/user/profile", json={"id": uid})
    check(r.status_code == 200 and r.json()["phone_number"] == "010-1234-5678" and "created_at" in r.json(),
          "POST /user/profile -> 200 profile", r)
    r = s.put(f"{base}/user/profile/update", json={"id": uid, "name": "John Doe Updated",
                                                   "email": f"{user_id}.updated@example.com", "phone_number": "010-9999-8888"})
    check(r.status_code == 200 and r.json() == {"user_id": user_id, "name": "John Doe Updated"},
          "PUT /user/profile/update -> 200 {user_id, name}", r)
    r = s.post(f"{base}/user/items", json={"id": uid})
    check(r.status_code == 200 and r.json()["total_count"] == 0 and r.json()["items"] == [], "POST /user/items -> 200", r)
    r = s.post(f"{base}/user/videos", json={"id": uid})
    check(r.status_code == 200 and r.json()["total_count"] == 0 and r.json()["videos"] == [], "POST /user/videos -> 200", r)
    r = s.post(f"{base}/auth/logout")
    check(r.status_code == 200, "POST /auth/logout -> 200", r)
    r = s.post(f"{base}/user/profile", json={"id": uid})
    check(r.status_code == 401 and r.json()["error_code"] == "AUTH_004", "after logout: 401 AUTH_004", r)
    r = s.post(f"{base}/auth/login", json={"user_id": user_id, "password": "wrong-password"})
    check(r.status_code == 401 and r.json()["error_code"] == "AUTH_001", "wrong password: 401 AUTH_001", r)

    if cookie_file:
        with open(cookie_file, "w") as f:
            f.write(client.session.cookies["session"])
    print("seed client check passed")


if __name__ == "__main__":
    main()
