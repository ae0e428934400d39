import re


def test_login_page_renders(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert re.search(r'<input\b[^>]*\bname="username"', response.get_data(as_text=True))
    assert "登录" in response.get_data(as_text=True)


def test_sign_in_and_out(client, world):
    response = client.login(world.trainee)
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert client.get("/account").status_code == 200
    # Signing out is a form (POST with the CSRF token): a GET does not sign out.
    assert client.get("/logout").status_code == 405
    assert client.get("/account").status_code == 200
    response = client.form("/logout")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    after = client.get("/account")
    assert after.status_code == 302 and "/login" in after.headers["Location"]
