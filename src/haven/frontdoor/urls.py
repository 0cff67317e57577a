from django.urls import path

from haven.frontdoor.views import contact, decisions, index, intake, partner, recording, reports

app_name = "frontdoor"

urlpatterns = [
    path("", index.index, name="index"),
    path("contacts/new/", recording.start, name="start"),
    path("contacts/<int:contact_id>/", contact.contact, name="contact"),
    path("contacts/<int:contact_id>/arrival/", recording.arrival, name="arrival"),
    path("contacts/<int:contact_id>/people/", recording.people, name="people"),
    path("contacts/<int:contact_id>/people/new/", recording.person_new, name="person-new"),
    path("contacts/<int:contact_id>/referrer/", recording.referrer, name="referrer"),
    path("contacts/<int:contact_id>/concerns/", recording.concerns, name="concerns"),
    path("contacts/<int:contact_id>/risk/", recording.risk, name="risk"),
    path("contacts/<int:contact_id>/consent/", recording.consent, name="consent"),
    path("contacts/<int:contact_id>/check/", recording.check, name="check"),
    path("contacts/<int:contact_id>/done/", recording.done, name="done"),
    path(
        "contacts/<int:contact_id>/information/new/",
        contact.information_new,
        name="information-new",
    ),
    path(
        "contacts/<int:contact_id>/information/<int:request_id>/answer/",
        contact.information_answer,
        name="information-answer",
    ),
    path("contacts/<int:contact_id>/take/", contact.take, name="take"),
    path("contacts/<int:contact_id>/assign/", contact.assign, name="assign"),
    path("contacts/<int:contact_id>/withdraw/", contact.withdraw, name="withdraw"),
    path("contacts/<int:contact_id>/decide/", decisions.decide, name="decide"),
    path("contacts/<int:contact_id>/decision/change/", decisions.change, name="decision-change"),
    path("contacts/<int:contact_id>/oversight/", decisions.oversight, name="oversight"),
    path("email/upload/", intake.email_upload, name="email-upload"),
    path("email/quarantine/", intake.quarantine, name="quarantine"),
    path("email/<int:email_id>/", intake.email, name="email"),
    path("email/<int:email_id>/original/", contact.email_original, name="email-original"),
    path("attachments/<int:attachment_id>/", contact.attachment, name="attachment"),
    path("police/", intake.police, name="police"),
    path("police/imports/<int:import_id>/", intake.police_import, name="police-import"),
    path("police/rows/<int:problem_id>/", intake.police_problem, name="police-problem"),
    path("reports/", reports.reports, name="reports"),
    path("reports/new/", reports.report_now, name="report-now"),
    path("reports/<int:report_id>/", reports.report, name="report"),
    path("refer/", partner.refer, name="refer"),
    path("referrals/", partner.referrals, name="referrals"),
    path("referrals/<int:contact_id>/", partner.referral, name="referral"),
]
