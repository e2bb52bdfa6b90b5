import base64
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jsonschema
import openpyxl

from odoo.tests import tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from ..models import carbon_finance_request
from .common_finance import FinanceCommon

SCHEMA = json.loads((Path(__file__).parents[1] / "schemas" / "finance_pack-1.0.schema.json").read_text())


class FinancierServer(ThreadingHTTPServer):
    """A financier's endpoint on 127.0.0.1 answering each POST with the next of ``answers`` (the last
    one repeated), recording what it received."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(handler):
                body = handler.rfile.read(int(handler.headers["Content-Length"]))
                self.received.append({"headers": dict(handler.headers), "body": json.loads(body)})
                status, text = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
                payload = text.encode()
                handler.send_response(status)
                handler.send_header("Content-Type", "application/json")
                handler.send_header("Content-Length", str(len(payload)))
                handler.end_headers()
                handler.wfile.write(payload)

            def log_message(handler, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}/packs"

    def stop(self):
        self.shutdown()
        self.server_close()
        self.thread.join()


@tagged("post_install", "-at_install")
class TestFinancePack(FinanceCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("carbon_supplychain_finance.allow_http_loopback", "1")

    def setUp(self):
        super().setUp()
        self.patch(carbon_finance_request, "HTTP_BACKOFF", 0.01)
        self._scorecard("A")

    def _submit(self, request):
        """Submit: the pack is sent by a queue job, run here."""
        with trap_jobs() as trap:
            request.action_submit()
            trap.assert_jobs_count(1, only=request._send_pack)
            trap.perform_enqueued_jobs()

    def _server(self, answers):
        server = FinancierServer(answers)
        self.addCleanup(server.stop)
        self.programme.endpoint_url = server.url
        return server

    def test_pack_follows_its_schema(self):
        bill = self._bill()
        self.env["ir.attachment"].create({"name": "bill-scan.pdf", "raw": b"%PDF bill", "res_model": "account.move",
                                          "res_id": bill.id})
        request = self._request(bill)
        request.action_submit()
        data = json.loads(base64.b64decode(request.pack_json))
        jsonschema.validate(data, SCHEMA, format_checker=jsonschema.FormatChecker())
        self.assertEqual(data["schema_version"], "1.0")
        self.assertEqual(data["pricing"], {
            "base_rate_percent": "6.5000", "discount_bps": 80, "green_rate_percent": "5.7000",
            "cost_without_discount": "1625.00", "cost_with_discount": "1425.00", "saving": "200.00"})
        self.assertEqual(data["request"]["amount"], "100000.00")
        self.assertEqual(data["request"]["idempotency_key"], request.idempotency_key)
        self.assertEqual(data["scorecard"]["grade"], "A")
        self.assertEqual(data["files"][0]["name"], "bill-scan.pdf")
        self.assertEqual(data["files"][0]["size"], 9)
        self.assertEqual(request.pack_json_name, request.name.replace("/", "-") + ".json")
        workbook = openpyxl.load_workbook(io.BytesIO(base64.b64decode(request.pack_xlsx)))
        self.assertEqual(workbook.sheetnames, ["Request", "Scorecard", "Passports", "Evidence"])
        cells = {row[0]: row[1] for row in workbook["Request"].iter_rows(values_only=True)}
        self.assertEqual(cells["cost_with_discount"], "1425.00")
        self.assertEqual(workbook["Evidence"]["A2"].value, "bill-scan.pdf")
        # a mutilated pack fails the schema
        del data["pricing"]["saving"]
        with self.assertRaises(jsonschema.ValidationError):
            jsonschema.validate(data, SCHEMA)

    def test_sent_after_a_failure_once_with_one_key(self):
        server = self._server([(503, '{"error": "busy"}'), (201, '{"id": "BANK-42", "status": "received"}')])
        request = self._request()
        self._submit(request)
        self.assertRecordValues(request, [{"pack_state": "sent", "pack_error": False}])
        self.assertEqual(len(server.received), 2)
        keys = {received["headers"]["Idempotency-Key"] for received in server.received}
        self.assertEqual(keys, {request.idempotency_key})
        body = server.received[1]["body"]
        jsonschema.validate(body, SCHEMA)
        self.assertEqual(base64.b64decode(body["workbook_base64"]), base64.b64decode(request.pack_xlsx))
        self.assertRecordValues(request.send_log_ids.sorted("attempt"), [
            {"attempt": 1, "status_code": 503, "response_body": '{"error": "busy"}',
             "idempotency_key": request.idempotency_key, "url": server.url},
            {"attempt": 2, "status_code": 201, "response_body": '{"id": "BANK-42", "status": "received"}',
             "idempotency_key": request.idempotency_key, "url": server.url},
        ])
        self.assertIn("HTTP 503", request.send_log_ids.sorted("attempt")[0].error)
        self.assertFalse(request.send_log_ids.sorted("attempt")[1].error)
        # sent: never again
        request.action_send_pack()
        request._send_pack()
        self.assertEqual(len(server.received), 2)

    def test_failure_is_visible_and_retried_with_the_same_key(self):
        server = self._server([(500, "down")])
        request = self._request()
        self._submit(request)
        self.assertEqual(request.pack_state, "error")
        self.assertIn("HTTP 500: down", request.pack_error)
        self.assertEqual(len(server.received), carbon_finance_request.HTTP_ATTEMPTS)
        self.assertEqual(request.send_log_ids.mapped("status_code"), [500, 500, 500])
        key = request.idempotency_key
        server.answers = [(200, "ok")]
        request.action_send_pack()
        self.assertRecordValues(request, [{"pack_state": "sent", "idempotency_key": key}])
        self.assertEqual([r["headers"]["Idempotency-Key"] for r in server.received], [key] * 4)
        self.assertEqual(len(request.send_log_ids), 4)

    def test_a_refusal_of_the_pack_is_not_retried(self):
        server = self._server([(422, '{"error": "unknown buyer"}'), (200, "ok")])
        request = self._request()
        self._submit(request)
        self.assertEqual(request.pack_state, "error")
        self.assertEqual(len(server.received), 1)

    def test_no_server_is_a_visible_error(self):
        server = self._server([(200, "ok")])
        url = server.url
        server.stop()
        self.programme.endpoint_url = url
        request = self._request()
        self._submit(request)
        self.assertEqual(request.pack_state, "error")
        self.assertIn("ConnectionError", request.pack_error)
        self.assertEqual(request.send_log_ids.mapped("status_code"), [0, 0, 0])
        self.assertEqual(request.state, "submitted")
