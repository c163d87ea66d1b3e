from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

# Not namespaced: "login" and "logout" are the names Django and every template use.
urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-factor/", views.verify, name="two-factor"),
    path("two-factor/setup/", views.setup, name="two-factor-setup"),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
]
