from django.urls import path

from haven.assessment.views import assessments, cases, plans

app_name = "assessment"

urlpatterns = [
    path("", cases.index, name="index"),
    path("teams/", cases.teams, name="teams"),
    path("teams/mine/", cases.my_team, name="my-team"),
    path("teams/<int:team_id>/", cases.team, name="team"),
    path("teams/<int:team_id>/caseloads.svg", cases.team_chart, name="team-chart"),
    path("workers/<int:user_id>/", cases.worker_cases, name="worker"),
    path("referrals/<int:episode_id>/allocate/", cases.allocate, name="allocate"),
    path("cases/<int:case_id>/", cases.case, name="case"),
    path("cases/<int:case_id>/reallocate/", cases.reallocate, name="reallocate"),
    path("cases/<int:case_id>/visits/new/", cases.visit_new, name="visit-new"),
    path("cases/<int:case_id>/assessment/start/", assessments.start, name="assessment-start"),
    path("cases/<int:case_id>/plan/start/", plans.plan_start, name="plan-start"),
    path("cases/<int:case_id>/services/new/", plans.service_new, name="service-new"),
    path("cases/<int:case_id>/closure/", cases.closure_new, name="closure-new"),
    path("closures/<int:closure_id>/", cases.closure_decide, name="closure-decide"),
    path("assessments/<int:assessment_id>/", assessments.detail, name="assessment"),
    path("assessments/<int:assessment_id>/check/", assessments.check, name="check"),
    path("assessments/<int:assessment_id>/review/", assessments.review, name="review"),
    path("assessments/<int:assessment_id>/<slug:key>/", assessments.part, name="part"),
    path("plans/<int:plan_id>/", plans.plan, name="plan"),
    path("plans/<int:plan_id>/review/", plans.plan_review, name="plan-review"),
    path("plans/<int:plan_id>/end/", plans.plan_end, name="plan-end"),
    path("services/<int:service_id>/<slug:change>/", plans.service_change, name="service-change"),
]
