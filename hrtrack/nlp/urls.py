from django.urls import path

from . import views

app_name = "nlp"

urlpatterns = [
    path("review/", views.review, name="review"),
    path("review.json", views.review_json, name="review_json"),
    path("review/decide/", views.decide, name="decide"),
]
