"""PACT Technical Specifications v3 (WBCSD), host system side: the data owner's product footprints
(published carbon passports) for its customers (``carbon.pact.client``), on OCA's ``fastapi``.

Actions: Authenticate (OAuth2 client credentials at ``/auth/token``, discovered through
``/.well-known/openid-configuration``), ListFootprints (``GET /3/footprints``), GetFootprint
(``GET /3/footprints/{id}``) and Events (``POST /3/events``), under the endpoint's root path.
Errors are the spec's ``{"code", "message"}`` bodies, never FastAPI's ``detail``."""
import base64
import binascii
import json
import uuid
from typing import Annotated
from urllib.parse import parse_qsl, unquote

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from odoo.api import Environment

from odoo.addons.fastapi.dependencies import odoo_env

from ..tools import pact

router = APIRouter()


def _error(code, message, headers=None):
    return JSONResponse(status_code=pact.ERRORS[code], content={"code": code, "message": message},
                        headers=headers)


def _base_url(request):
    """The absolute URL of the endpoint's root (its root path included), on the host the request was sent to."""
    return f"{request.url.scheme}://{request.url.netloc}{request.scope.get('root_path', '')}"


def _client(env, request):
    """(client, error response) of the request's bearer token."""
    scheme, __, token = (request.headers.get("authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None, _error("BadRequest", "An access token is required: Authorization: Bearer <token>.")
    client, code = env["carbon.pact.client"]._from_token(token.strip())
    if code == "TokenExpired":
        return None, _error("TokenExpired", "The specified access token has expired.",
                            {"WWW-Authenticate": 'Bearer error="invalid_token"'})
    if not client:
        return None, _error("AccessDenied", "Access denied.")
    return client, None


@router.get("/.well-known/openid-configuration")
async def openid_configuration(request: Request):
    base = _base_url(request)
    return JSONResponse({
        "issuer": base,
        "token_endpoint": f"{base}/auth/token",
        "grant_types_supported": ["client_credentials"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "response_types_supported": ["token"],
        "subject_types_supported": ["public"],
        "scopes_supported": ["footprint:list", "footprint:read"],
    })


@router.post("/auth/token")
async def token(request: Request, env: Annotated[Environment, Depends(odoo_env)]):
    """OAuth2 client credentials grant (RFC 6749 4.4): the client authenticates with HTTP Basic (or
    ``client_id``/``client_secret`` in the form); errors are RFC 6749 5.2 bodies."""
    def oauth_error(error, description, status=400):
        return JSONResponse(status_code=status, content={"error": error, "error_description": description},
                            headers={"Cache-Control": "no-store"})

    form = dict(parse_qsl((await request.body()).decode("utf-8", "replace")))
    if form.get("grant_type") != "client_credentials":
        return oauth_error("unsupported_grant_type", "Only the client_credentials grant is supported.")
    scheme, __, credentials = (request.headers.get("authorization") or "").partition(" ")
    client_id, secret = form.get("client_id"), form.get("client_secret")
    if scheme.lower() == "basic":
        try:
            client_id, __, secret = base64.b64decode(credentials.strip()).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return oauth_error("invalid_request", "Malformed Basic credentials.")
        client_id, secret = unquote(client_id), unquote(secret)
    client = env["carbon.pact.client"]._authenticate(client_id, secret)
    if not client or not client.active:
        return oauth_error("invalid_client", "Authentication failed")
    access_token, lifetime = client._issue_token()
    return JSONResponse({"access_token": access_token, "token_type": "bearer", "expires_in": lifetime,
                         "scope": "footprint:list footprint:read"}, headers={"Cache-Control": "no-store"})


@router.get("/3/footprints")
async def list_footprints(request: Request, env: Annotated[Environment, Depends(odoo_env)]):
    client, error = _client(env, request)
    if error:
        return error
    pairs = parse_qsl(request.url.query, keep_blank_values=True)
    try:
        filters, limit, offset = pact.parse_list_query(pairs)
    except pact.PactError as failure:
        return _error(failure.code, failure.message)
    footprints = [pf for pf in (p._pact_footprint() for p in client._footprints()) if pact.matches(pf, filters)]
    client.sudo().last_access = env.cr.now()
    page = footprints[offset:offset + limit] if limit is not None else footprints[offset:]
    headers = {}
    if limit and offset + limit < len(footprints):
        headers["Link"] = pact.next_link(str(request.url).split("?")[0], pairs, offset + limit, limit)
    return JSONResponse({"data": page}, headers=headers)


@router.get("/3/footprints/{footprint_id}")
async def get_footprint(footprint_id: str, request: Request, env: Annotated[Environment, Depends(odoo_env)]):
    client, error = _client(env, request)
    if error:
        return error
    try:
        footprint_id = str(uuid.UUID(footprint_id))
    except ValueError:
        return _error("BadRequest", "The footprint id is a UUID.")
    passport = env["carbon.passport"].sudo().search(
        env["carbon.passport"]._pact_domain() + [("pact_id", "=", footprint_id)], limit=1)
    if not passport:
        return _error("NotFound", "The requested footprint could not be found.")
    if passport not in client._footprints():
        return _error("AccessDenied", "Access denied.")
    client.sudo().last_access = env.cr.now()
    return JSONResponse({"data": passport._pact_footprint()})


@router.post("/3/events")
async def events(request: Request, env: Annotated[Environment, Depends(odoo_env)]):
    """CloudEvents in structured content mode: requests, fulfilments, rejections and publications,
    recorded as ``carbon.pact.event`` (a fulfilment imports its footprints); 200 with an empty body."""
    client, error = _client(env, request)
    if error:
        return error
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type not in ("application/cloudevents+json", "application/json"):
        return _error("BadRequest", "Events are application/cloudevents+json (structured content mode).")
    try:
        event = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        return _error("BadRequest", "The event is not JSON.")
    try:
        env["carbon.pact.event"]._receive(client, event)
    except pact.PactError as failure:
        return _error(failure.code, failure.message)
    return Response(status_code=200)
