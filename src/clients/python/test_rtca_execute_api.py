"""boto3 and the AWS CLI, through rtca_execute_api, against the local API started with --iam (RTCA_ENDPOINT)."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import boto3
from botocore.awsrequest import AWSRequest
from botocore.exceptions import ClientError

import rtca_execute_api

ENDPOINT = os.environ.get("RTCA_ENDPOINT", "http://127.0.0.1:3000")
INSTANCE = "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"
VOICE = "a1b2c3d4-5678-90ab-cdef-EXAMPLE22222"
CHAT = "a1b2c3d4-5678-90ab-cdef-EXAMPLE44444"
QA = ("AKIDQAANALYST", "qa-analyst-local-secret")  # events/local-iam.json
SUPERVISOR = ("AKIDSUPERVISOR", "supervisor-local-secret")
HERE = os.path.dirname(os.path.abspath(__file__))


def session(credentials):
    return boto3.Session(aws_access_key_id=credentials[0], aws_secret_access_key=credentials[1], region_name="us-east-1")


def drain_voice(lens):
    """Every page of the completed voice contact (botocore has no paginator for this operation)."""
    segments, kwargs = [], {}
    while True:
        page = lens.list_realtime_contact_analysis_segments(InstanceId=INSTANCE, ContactId=VOICE, MaxResults=1, **kwargs)
        segments += page["Segments"]
        if "NextToken" not in page:
            return segments
        kwargs = {"NextToken": page["NextToken"]}


def drain_chat(connect):
    """The chat contact is in progress, so its NextToken never ends: read until a page comes back empty."""
    segments, kwargs = [], {}
    for _ in range(100):
        page = connect.list_realtime_contact_analysis_segments_v2(
            InstanceId=INSTANCE, ContactId=CHAT, OutputType="Redacted", SegmentTypes=["Transcript", "Event"],
            MaxResults=1, **kwargs)
        if not page["Segments"]:
            return segments
        segments += page["Segments"]
        kwargs = {"NextToken": page["NextToken"]}
    raise AssertionError("the chat contact did not drain in 100 pages")


class Boto3Recipe(unittest.TestCase):
    def test_a_registered_session_drains_both_operations(self):
        s = rtca_execute_api.register(session(QA))
        voice = drain_voice(s.client("connect-contact-lens", endpoint_url=ENDPOINT))
        chat = drain_chat(s.client("connect", endpoint_url=ENDPOINT))
        self.assertGreater(len(voice), 1)
        self.assertGreater(len(chat), 1)
        self.assertEqual(len(voice), len({json.dumps(v, sort_keys=True, default=str) for v in voice}), "no segment twice")

    def test_a_registered_client_works_too(self):
        connect = rtca_execute_api.register(session(QA).client("connect", endpoint_url=ENDPOINT))
        self.assertGreater(len(drain_chat(connect)), 1)

    def test_without_the_recipe_api_gateway_refuses_the_signature(self):
        connect = session(QA).client("connect", endpoint_url=ENDPOINT)
        with self.assertRaises(ClientError) as refused:
            drain_chat(connect)
        self.assertEqual("AccessDeniedException", refused.exception.response["Error"]["Code"])
        self.assertEqual("Credential should be scoped to correct service: 'execute-api'. ",
                         refused.exception.response["Error"]["Message"])

    def test_the_policies_still_apply(self):
        connect = rtca_execute_api.register(session(SUPERVISOR)).client("connect", endpoint_url=ENDPOINT)
        with self.assertRaises(ClientError) as denied:
            connect.list_realtime_contact_analysis_segments_v2(
                InstanceId=INSTANCE, ContactId=CHAT, OutputType="Raw", SegmentTypes=["Transcript"])
        self.assertEqual(403, denied.exception.response["ResponseMetadata"]["HTTPStatusCode"])
        self.assertTrue(denied.exception.response["Error"]["Message"].startswith(
            "User: arn:aws:sts::123456789012:assumed-role/SupervisorDashboard/dashboard is not authorized"))

    def test_amazon_connects_own_endpoints_keep_their_signing_name(self):
        for url, rewritten in [("https://connect.us-east-1.amazonaws.com/x", False),
                               ("https://contact-lens.eu-west-2.amazonaws.com/x", False),
                               ("https://abc123.execute-api.us-east-1.amazonaws.com/v1/x", True),
                               ("https://rtca.example.com/x", True)]:
            request = AWSRequest(method="POST", url=url)
            rtca_execute_api.sign_as_execute_api(request)
            self.assertEqual(rewritten, request.context.get("signing", {}).get("signing_name") == "execute-api", url)


CLI_VERSION = subprocess.run(["aws", "--version"], capture_output=True, text=True).stdout if shutil.which("aws") else ""


@unittest.skipUnless(CLI_VERSION, "the AWS CLI is not installed")
class AwsCliRecipe(unittest.TestCase):
    def aws(self, credentials, *args):
        with tempfile.NamedTemporaryFile("w", suffix=".config", delete=False) as config:
            # CLI v1 imports the plugin from PYTHONPATH; CLI v2 from cli_legacy_plugin_path (v1 would take it for a plugin).
            config.write("[default]\nregion = us-east-1\n[plugins]\nrtca_execute_api = rtca_execute_api\n")
            if not CLI_VERSION.startswith("aws-cli/1."):
                config.write(f"cli_legacy_plugin_path = {HERE}\n")
        env = dict(os.environ, AWS_CONFIG_FILE=config.name, AWS_SHARED_CREDENTIALS_FILE=os.devnull,
                   AWS_ACCESS_KEY_ID=credentials[0], AWS_SECRET_ACCESS_KEY=credentials[1],
                   PYTHONPATH=os.pathsep.join([HERE, os.environ.get("PYTHONPATH", "")]))
        try:
            return subprocess.run(["aws", *args, "--endpoint-url", ENDPOINT, "--output", "json"], env=env,
                                  capture_output=True, text=True, timeout=120)
        finally:
            os.unlink(config.name)

    def test_the_plugin_drains_the_voice_contact(self):
        segments, token = [], []
        while True:
            done = self.aws(QA, "connect-contact-lens", "list-realtime-contact-analysis-segments", "--instance-id", INSTANCE,
                            "--contact-id", VOICE, "--max-results", "1", *token)
            self.assertEqual(0, done.returncode, done.stderr)
            page = json.loads(done.stdout)
            segments += page["Segments"]
            if "NextToken" not in page:
                break
            token = ["--next-token", page["NextToken"]]
        self.assertGreater(len(segments), 1)

    def test_the_plugin_reads_chat_and_the_policies_apply(self):
        done = self.aws(SUPERVISOR, "connect", "list-realtime-contact-analysis-segments-v2", "--instance-id", INSTANCE,
                        "--contact-id", CHAT, "--output-type", "Redacted", "--segment-types", "Transcript")
        self.assertEqual(0, done.returncode, done.stderr)
        self.assertTrue(json.loads(done.stdout)["Segments"])
        denied = self.aws(SUPERVISOR, "connect", "list-realtime-contact-analysis-segments-v2", "--instance-id", INSTANCE,
                          "--contact-id", CHAT, "--output-type", "Raw", "--segment-types", "Transcript")
        self.assertNotEqual(0, denied.returncode)
        self.assertIn("AccessDeniedException", denied.stderr)


if __name__ == "__main__":
    sys.exit(unittest.main())
