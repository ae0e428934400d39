def test_login_page_renders(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert "登录".encode() in response.data or b"Sign in" in response.data


def test_sign_in_and_out(client, world):
    response = client.login(world.trainee)
    assert response.status_code == 302
    assert client.get("/").status_code == 200
