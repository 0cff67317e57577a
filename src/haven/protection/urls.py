from django.urls import path

from haven.protection.views import discussions, enquiries, meetings, partner

app_name = "protection"

urlpatterns = [
    path("", discussions.index, name="discussions"),
    path("strategy-discussions/new/", discussions.start, name="discussion-start"),
    path("strategy-discussions/<int:discussion_id>/", discussions.discussion, name="discussion"),
    path(
        "strategy-discussions/<int:discussion_id>/details/",
        discussions.details,
        name="discussion-details",
    ),
    path(
        "strategy-discussions/<int:discussion_id>/agencies/",
        discussions.agencies,
        name="discussion-agencies",
    ),
    path(
        "strategy-discussions/<int:discussion_id>/information/",
        discussions.information,
        name="discussion-information",
    ),
    path(
        "strategy-discussions/<int:discussion_id>/decision/",
        discussions.decision,
        name="discussion-decision",
    ),
    path(
        "strategy-discussions/<int:discussion_id>/actions/",
        discussions.actions,
        name="discussion-actions",
    ),
    path(
        "strategy-discussions/<int:discussion_id>/actions/<int:action_id>/remove/",
        discussions.action_remove,
        name="discussion-action-remove",
    ),
    path(
        "strategy-discussions/<int:discussion_id>/actions/<int:action_id>/done/",
        discussions.action_done,
        name="discussion-action-done",
    ),
    path(
        "strategy-discussions/<int:discussion_id>/complete/",
        discussions.complete,
        name="discussion-complete",
    ),
    path(
        "strategy-discussions/<int:discussion_id>/record.pdf",
        discussions.discussion_pdf,
        name="discussion-pdf",
    ),
    # What partner agencies see: only records shared with their agency.
    path("shared/", partner.shared_list, name="shared"),
    path("shared/<int:discussion_id>/", partner.shared_discussion, name="shared-discussion"),
    path("shared/<int:discussion_id>/record.pdf", partner.shared_pdf, name="shared-pdf"),
    path(
        "shared/<int:discussion_id>/actions/<int:action_id>/done/",
        partner.shared_action_done,
        name="shared-action-done",
    ),
    # Section 47 enquiries, conferences, plans.
    path("enquiries/<int:enquiry_id>/", enquiries.enquiry, name="enquiry"),
    path("enquiries/<int:enquiry_id>/conclude/", enquiries.conclude, name="enquiry-conclude"),
    path("enquiries/<int:enquiry_id>/worker/", enquiries.assign, name="enquiry-worker"),
    path("conferences/<int:conference_id>/", enquiries.conference, name="conference"),
    path("plans/", enquiries.plans, name="plans"),
    path("plans/<int:plan_id>/", enquiries.plan, name="plan"),
    path("plans/<int:plan_id>/reviews/<int:review_id>/", enquiries.review, name="plan-review"),
    path("plans/<int:plan_id>/end/", enquiries.plan_end, name="plan-end"),
    # Multi-agency meetings.
    path("meetings/", meetings.kinds, name="meetings"),
    path("meetings/record/<int:meeting_id>/", meetings.meeting, name="meeting"),
    path("meetings/record/<int:meeting_id>/schedule/", meetings.schedule, name="meeting-schedule"),
    path(
        "meetings/record/<int:meeting_id>/attendees/",
        meetings.attendee_add,
        name="meeting-attendee",
    ),
    path(
        "meetings/record/<int:meeting_id>/children/<int:referral_id>/",
        meetings.consider,
        name="meeting-consider",
    ),
    path("meetings/record/<int:meeting_id>/finish/", meetings.complete, name="meeting-complete"),
    path(
        "meetings/referrals/<int:referral_id>/withdraw/",
        meetings.withdraw,
        name="referral-withdraw",
    ),
    path(
        "meetings/actions/<int:action_id>/done/", meetings.action_done, name="meeting-action-done"
    ),
    path("meetings/<slug:key>/", meetings.kind_page, name="meeting-kind"),
    path("meetings/<slug:key>/refer/", meetings.refer, name="meeting-refer"),
    path("meetings/<slug:key>/new/", meetings.meeting_new, name="meeting-new"),
]
