"""Sign Connect and Contact Lens calls as API Gateway's AWS_IAM expects: SigV4 scoped to ``execute-api``.

botocore signs ``ListRealtimeContactAnalysisSegmentsV2`` as service ``connect`` and
``ListRealtimeContactAnalysisSegments`` as ``connect-contact-lens``'s ``connect``; an API Gateway stage with
``AWS_IAM`` accepts only signatures scoped to ``execute-api``. This module changes the signing name of those two
operations, and nothing else, whenever the request does not go to Amazon Connect's own endpoints.

boto3::

    import boto3, rtca_execute_api
    session = boto3.Session()
    rtca_execute_api.register(session)
    connect = session.client("connect", endpoint_url=API_URL)

AWS CLI (``~/.aws/config``; the directory of this file on ``PYTHONPATH`` for CLI v1, or named by
``cli_legacy_plugin_path`` for CLI v2)::

    [plugins]
    rtca_execute_api = rtca_execute_api
"""

from urllib.parse import urlsplit

SIGNING_NAME = "execute-api"

# The operations this project serves, as botocore names their before-sign events.
EVENTS = (
    "before-sign.connect.ListRealtimeContactAnalysisSegmentsV2",
    "before-sign.connect-contact-lens.ListRealtimeContactAnalysisSegments",
)


def _is_amazon_connect(url):
    host = (urlsplit(url).hostname or "").lower()
    own = host.startswith("connect.") or host.startswith("contact-lens.")
    return own and (host.endswith(".amazonaws.com") or host.endswith(".amazonaws.com.cn"))


def sign_as_execute_api(request, **kwargs):
    """botocore ``before-sign`` handler: scope the signature to execute-api unless the call goes to Amazon Connect."""
    if not _is_amazon_connect(request.url):
        request.context.setdefault("signing", {})["signing_name"] = SIGNING_NAME


def register(target):
    """Install the handler on a boto3/botocore Session, a client, or an event emitter."""
    events = getattr(target, "events", None)  # boto3.Session
    if events is None and hasattr(target, "meta"):  # a client
        events = target.meta.events
    if events is None and hasattr(target, "get_component"):  # a botocore Session
        events = target.get_component("event_emitter")
    if events is None:
        events = target  # an event emitter
    for event in EVENTS:
        events.register(event, sign_as_execute_api, unique_id="rtca-execute-api-" + event)
    return target


def awscli_initialize(cli):
    """The AWS CLI's plugin entry point: ``cli`` is its event emitter."""
    register(cli)
