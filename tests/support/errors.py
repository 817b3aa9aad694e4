"""The API's error body: a 4xx or 503 with {"error": {"code", "message"}} in plain words."""


def assert_error(response, status, code, *words):
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    message = body["error"]["message"]
    assert "Traceback" not in message and "SELECT" not in message
    for word in words:
        assert word in message
