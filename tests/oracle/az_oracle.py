"""The real az CLI as a test oracle for SIG Studio's az scripts (see docs/export.md).

Runs each recorded az call (the exact argv bash gave the script's `az`) through azure-cli's own
parser, validators and request builder, in this process, with:

- no network at all: sockets refuse to connect, and the HTTP send of `requests` (which azure-core
  and the Graph client use) is replaced by a fake Azure Resource Manager that keeps resources in
  memory (PUT creates or replaces, PATCH merges, GET reads, DELETE refuses while children exist,
  POST .../share changes the sharing profile);
- a credential that hands out a fake token and a profile holding the subscriptions given;
- every local file read that an argument could trigger recorded (az reads `@path` and
  `key=@path` arguments, and AAZ arguments that name an existing file).

It then compares the resources the fake ARM holds at the end with the resources the ARM
template of the same workspace would deploy (`expect`): every writable property must agree, no
request may name a resource the workspace does not, and no file may have been read.

Input (JSON file given as argv[1]):
  calls:          [[arg, ...], ...]  the argv of each az call, without "az"
  subscriptions:  [id, ...]          subscriptions the profile holds (first is the default)
  seed:           [resource, ...]    resources Azure holds before the calls (a plan's BEFORE)
  expect:         [resource, ...]    resources Azure must hold after the calls
  allowed:        [id, ...]          ids the calls may also touch (a plan's deletes)
  context:        [resource, ...]    resources Azure holds that are not compared (parents)
  sharing:        {gallery id: {subscriptions, tenants}}  direct sharing (read-only in bodies)
Each resource is an ARM resource as deployed: {id, type, location, tags, properties} for gallery
resources, {id, properties: {roleDefinitionId, principalId, principalType}} for role
assignments.

Output (JSON file given as argv[2]): {calls: [{args, exit, error, requests}], mismatches: [..],
file_reads: [..], network: [..], seconds}.
"""

import builtins
import copy
import datetime
import io
import json
import logging
import os
import re
import socket
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from arm_template import Deployment, TemplateError  # noqa: E402

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"

# --- no network -------------------------------------------------------------------------------

NETWORK = []


def _no_network(*args, **kwargs):
    NETWORK.append(repr(args[:2]))
    raise OSError("network access is blocked in the az oracle")


socket.socket.connect = _no_network
socket.socket.connect_ex = _no_network
socket.create_connection = _no_network
socket.getaddrinfo = _no_network

# --- file reads -------------------------------------------------------------------------------

FILE_READS = []
_ALLOWED_ROOTS = []
_real_open = builtins.open
_WATCHING = [False]


def _watched_open(file, *args, **kwargs):
    if _WATCHING[0] and isinstance(file, (str, bytes, os.PathLike)):
        path = os.path.abspath(os.fsdecode(file))
        if not any(path.startswith(root) for root in _ALLOWED_ROOTS):
            FILE_READS.append(path)
    return _real_open(file, *args, **kwargs)


builtins.open = _watched_open
io.open = _watched_open


# --- the fake Azure Resource Manager ----------------------------------------------------------

def norm_id(resource_id):
    """An ARM id compared as ARM compares it: case-insensitively, without empty segments."""
    parts = [p for p in urllib.parse.unquote(resource_id).split("/") if p]
    return "/" + "/".join(parts).lower()


GALLERY_TYPES = {
    "galleries": "Microsoft.Compute/galleries",
    "images": "Microsoft.Compute/galleries/images",
    "versions": "Microsoft.Compute/galleries/images/versions",
}


class FakeArm:
    def __init__(self, seed):
        # norm id -> resource body (what was PUT, with id/name/type)
        self.store = {}
        self.requests = []
        for resource in seed:
            self.store[norm_id(resource["id"])] = copy.deepcopy(resource)

    def children(self, key):
        return [k for k in self.store if k.startswith(key + "/")]

    def handle(self, method, url, body):
        parsed = urllib.parse.urlsplit(url)
        path = parsed.path
        host = parsed.netloc.lower()
        record = {"method": method, "url": url, "body": body}
        self.requests.append(record)
        if "graph.microsoft.com" in host:
            return 403, {"error": {"code": "Authorization_RequestDenied",
                                   "message": "the az oracle does not answer Microsoft Graph"}}
        key = norm_id(path)
        segments = key.strip("/").split("/")
        if key.endswith("/share") and method == "POST":
            return self.share(key[: -len("/share")], body)
        if "microsoft.authorization" in segments:
            return self.authorization(method, key, segments, body, parsed.query)
        if len(segments) == 4 and segments[2] == "resourcegroups":
            return 200, {"id": path, "name": segments[3], "location": "westus",
                         "properties": {"provisioningState": "Succeeded"}}
        if method == "GET":
            if key in self.store:
                return 200, self.response(key)
            return 404, {"error": {"code": "ResourceNotFound",
                                   "message": "The Resource '%s' was not found." % path}}
        if method == "DELETE":
            if self.children(key):
                return 409, {"error": {"code": "Conflict", "message":
                                       "Can not delete resource before nested resources are deleted."}}
            self.store.pop(key, None)
            return 200, None
        if method in ("PUT", "PATCH"):
            parent = key.rsplit("/", 2)[0]
            if segments[-2] in ("images", "versions") and parent not in self.store:
                return 404, {"error": {"code": "ParentResourceNotFound",
                                       "message": "parent %s not found" % parent}}
            self.write(method, key, path, segments, body or {})
            return 200, self.response(key)
        return 400, {"error": {"code": "BadRequest", "message": "the az oracle does not answer %s %s" % (method, path)}}

    def write(self, method, key, path, segments, body):
        old = self.store.get(key)
        if method == "PATCH" and old is not None:
            new = copy.deepcopy(old)
            deep_merge(new, body)
        else:
            new = copy.deepcopy(body)
        if old is not None and segments[-2] == "versions":
            # The service keeps a version's source: a PUT without it (az's update) keeps it.
            old_storage = old.get("properties", {}).get("storageProfile", {})
            storage = new.setdefault("properties", {}).setdefault("storageProfile", {})
            for k in ("source", "osDiskImage", "dataDiskImages"):
                if k in old_storage and not storage.get(k):
                    storage[k] = copy.deepcopy(old_storage[k])
        new["id"] = path
        new["name"] = urllib.parse.unquote(path.rstrip("/").rsplit("/", 1)[-1])
        new["type"] = GALLERY_TYPES.get(segments[-2], segments[-2])
        for read_only in ("provisioningState",):
            new.get("properties", {}).pop(read_only, None)
        self.store[key] = new

    def response(self, key):
        body = copy.deepcopy(self.store[key])
        body.setdefault("properties", {})["provisioningState"] = "Succeeded"
        return body

    def share(self, key, body):
        gallery = self.store.get(key)
        if gallery is None:
            return 404, {"error": {"code": "ResourceNotFound", "message": "no gallery %s" % key}}
        profile = gallery.setdefault("properties", {}).setdefault("sharingProfile", {})
        operation = (body or {}).get("operationType", "")
        groups = {g["type"]: list(g.get("ids", [])) for g in profile.get("groups", [])}
        for group in (body or {}).get("groups", []):
            ids = groups.setdefault(group["type"], [])
            for i in group.get("ids", []):
                if operation == "Add" and i.lower() not in [x.lower() for x in ids]:
                    ids.append(i)
                if operation == "Remove":
                    ids[:] = [x for x in ids if x.lower() != i.lower()]
        if operation == "Reset":
            gallery["properties"]["sharingProfile"] = {"permissions": "Private"}
        elif operation == "EnableCommunity":
            profile["permissions"] = "Community"
        elif operation in ("Add", "Remove"):
            profile["groups"] = [{"type": t, "ids": ids} for t, ids in groups.items() if ids]
            if operation == "Add":
                profile["permissions"] = "Groups"
        else:
            return 400, {"error": {"code": "BadRequest", "message": "operationType %r" % operation}}
        return 200, self.response(key)

    def authorization(self, method, key, segments, body, query):
        i = segments.index("microsoft.authorization")
        kind = segments[i + 1] if i + 1 < len(segments) else ""
        if kind == "roledefinitions":
            guid = segments[i + 2] if i + 2 < len(segments) else None
            if guid:
                return 200, {"id": key, "name": guid, "type": "Microsoft.Authorization/roleDefinitions",
                             "properties": {"roleName": guid, "type": "BuiltInRole"}}
            return 200, {"value": []}
        if kind == "roleassignments":
            if len(segments) == i + 2:  # a list at a scope
                scope = "/" + "/".join(segments[: i - 1])
                found = [self.response(k) for k, v in self.store.items()
                         if "/providers/microsoft.authorization/roleassignments/" in k
                         and norm_id(v["properties"].get("scope", "")) == scope]
                return 200, {"value": found}
            if method == "PUT":
                for k, v in self.store.items():
                    props = v.get("properties", {})
                    if ("/roleassignments/" in k and k != key
                            and norm_id(props.get("scope", "")) == norm_id(key.split("/providers/microsoft.authorization/")[0])
                            and props.get("principalId", "").lower() == body["properties"]["principalId"].lower()
                            and norm_id(props.get("roleDefinitionId", "")).rsplit("/", 1)[-1]
                            == norm_id(body["properties"]["roleDefinitionId"]).rsplit("/", 1)[-1]):
                        return 409, {"error": {"code": "RoleAssignmentExists",
                                               "message": "The role assignment already exists."}}
                new = copy.deepcopy(body)
                new["id"] = key
                new["name"] = segments[-1]
                new["type"] = "Microsoft.Authorization/roleAssignments"
                new["properties"]["scope"] = key.split("/providers/microsoft.authorization/")[0]
                self.store[key] = new
                return 201, new
            if method == "GET":
                if key in self.store:
                    return 200, self.response(key)
                return 404, {"error": {"code": "RoleAssignmentNotFound", "message": "not found"}}
            if method == "DELETE":
                found = self.store.pop(key, None)
                return (200, found) if found else (204, None)
        return 400, {"error": {"code": "BadRequest", "message": "the az oracle does not answer %s" % key}}


def deep_merge(base, patch):
    for k, v in patch.items():
        if isinstance(v, dict) and isinstance(base.get(k), dict):
            deep_merge(base[k], v)
        else:
            base[k] = v


# --- comparing what Azure holds with what the workspace says ----------------------------------

# What the service takes when a property is absent (REST spec 2025-03-03 and the service's
# documented behaviour): absent and this value are the same state.
DEFAULTS = {
    "Microsoft.Compute/galleries": {
        "description": "",
        "softDeletePolicy.isSoftDeleteEnabled": False,
        "sharingProfile.permissions": "Private",
    },
    "Microsoft.Compute/galleries/images": {
        "description": "",
        "osState": None,
        "hyperVGeneration": "V1",
        "architecture": "x64",
        "allowUpdateImage": False,
    },
    "Microsoft.Compute/galleries/images/versions": {
        "publishingProfile.excludeFromLatest": False,
        "publishingProfile.replicaCount": 1,
        "publishingProfile.replicationMode": "Full",
        "publishingProfile.storageAccountType": "Standard_LRS",
        "safetyProfile.allowDeletionOfReplicatedLocations": False,
        "safetyProfile.blockDeletionBeforeEndOfLife": False,
    },
}

# Written by the service, never by a request.
READ_ONLY = {"provisioningState", "groups", "replicationStatus", "publishedDate", "sharingStatus",
             "communityGalleryEnabled", "publicNames", "uniqueName", "principalId", "tenantId",
             "policyViolations", "validationsProfile", "identifier.uniqueName"}


def flatten(value, prefix=""):
    out = {}
    if isinstance(value, dict):
        for k, v in value.items():
            out.update(flatten(v, prefix + "." + k if prefix else k))
    else:
        out[prefix] = value
    return out


def norm_value(path, value):
    """A value as the service compares it."""
    if isinstance(value, str):
        if path.endswith("Date") or path.endswith("endOfLifeDate"):
            try:
                text = value.replace("Z", "+00:00")
                moment = datetime.datetime.fromisoformat(text)
                if moment.tzinfo is None:
                    moment = moment.replace(tzinfo=datetime.timezone.utc)
                return moment.astimezone(datetime.timezone.utc).isoformat()
            except ValueError:
                return value
        if path.endswith("roleDefinitionId"):
            return value.rsplit("/", 1)[-1].lower()
        if path in ("location",) or path.endswith(".name") and "targetRegions" in path:
            return value.replace(" ", "").lower()
    if isinstance(value, list):
        items = [norm_item(path, v) for v in value]
        if path.endswith("targetRegions") or path.endswith("features") or path.endswith("dataDiskImages"):
            items.sort(key=lambda v: json.dumps(v, sort_keys=True))
        return items
    if isinstance(value, dict):
        return {k: norm_value(path + "." + k, v) for k, v in value.items() if v is not None}
    return value


def norm_item(path, value):
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if v is None:
                continue
            if k == "name" and path.endswith("targetRegions"):
                v = v.replace(" ", "").lower()
            out[k] = norm_value(path + "." + k, v)
        return out
    return norm_value(path, value)


def effective_regions(properties):
    """Each target region as the service takes it: what a region does not set comes from the
    version (replica count, storage type, exclusion from latest)."""
    publishing = properties.get("publishingProfile")
    if not isinstance(publishing, dict) or not isinstance(publishing.get("targetRegions"), list):
        return properties
    properties = copy.deepcopy(properties)
    publishing = properties["publishingProfile"]
    inherited = {
        "regionalReplicaCount": publishing.get("replicaCount") or 1,
        "storageAccountType": publishing.get("storageAccountType") or "Standard_LRS",
        "excludeFromLatest": publishing.get("excludeFromLatest") or False,
    }
    for region in publishing["targetRegions"]:
        for k, v in inherited.items():
            if region.get(k) is None:
                region[k] = v
    return properties


def state_of(resource):
    """A resource's writable state: location, tags and writable properties, flattened."""
    kind = resource.get("type", "")
    properties = effective_regions(resource.get("properties", {}) or {})
    props = flatten(norm_value("", properties))
    for k in list(props):
        if k in READ_ONLY or k.split(".")[-1] in READ_ONLY:
            del props[k]
    for k, v in DEFAULTS.get(kind, {}).items():
        if props.get(k, v) == v:
            props.pop(k, None)
    for k in list(props):
        if props[k] in ({}, [], None):
            del props[k]
    state = {"properties." + k: v for k, v in props.items()}
    if "location" in resource and kind.startswith("Microsoft.Compute"):
        state["location"] = norm_value("location", resource["location"])
    tags = resource.get("tags") or {}
    if kind.startswith("Microsoft.Compute"):
        state["tags"] = tags
    return state


def role_key(resource):
    props = resource.get("properties", {})
    scope = norm_id(props.get("scope") or resource["id"].split("/providers/Microsoft.Authorization/")[0])
    return (scope, props.get("roleDefinitionId", "").rsplit("/", 1)[-1].lower(),
            props.get("principalId", "").lower())


def compare(store, expect, allowed, requests, sharing=None):
    mismatches = []
    expected = {norm_id(r["id"]): r for r in expect if "roleassignments" not in norm_id(r["id"])}
    for key, want in expected.items():
        have = store.get(key)
        if have is None:
            mismatches.append("%s: the workspace has it, Azure does not after the calls" % want["id"])
            continue
        a, b = state_of(want), state_of(have)
        for k in sorted(set(a) | set(b)):
            if a.get(k) != b.get(k):
                mismatches.append("%s: %s is %s in the workspace's template but %s after the az calls"
                                  % (want["id"], k, json.dumps(a.get(k)), json.dumps(b.get(k))))
    for key, have in store.items():
        if "/roleassignments/" in key:
            continue
        if key not in expected:
            mismatches.append("%s: Azure holds it after the calls, the workspace does not" % have["id"])
    want_roles = {role_key(r): r for r in expect if "roleassignments" in norm_id(r["id"])}
    have_roles = {role_key(v): v for k, v in store.items() if "/roleassignments/" in k}
    for k, r in want_roles.items():
        have = have_roles.get(k)
        if have is None:
            mismatches.append("role assignment %s: the workspace has it, Azure does not" % (k,))
            continue
        want_name = r["id"].rsplit("/", 1)[-1]
        if not r.get("generatedName") and want_name.lower() != have["name"].lower():
            mismatches.append("role assignment %s: named %s in the workspace, %s in Azure"
                              % (k, want_name, have["name"]))
        want_type = r.get("properties", {}).get("principalType")
        have_type = have.get("properties", {}).get("principalType")
        if want_type and want_type != have_type:
            mismatches.append("role assignment %s: principal type %s in the workspace, %s in Azure"
                              % (k, want_type, have_type))
    for k in have_roles:
        if k not in want_roles:
            mismatches.append("role assignment %s: in Azure after the calls, not in the workspace" % (k,))
    for gallery_id, want in (sharing or {}).items():
        have = store.get(norm_id(gallery_id), {}).get("properties", {}).get("sharingProfile", {})
        groups = {g["type"]: sorted(i.lower() for i in g.get("ids", [])) for g in have.get("groups", [])}
        for kind, key in (("Subscriptions", "subscriptions"), ("AADTenants", "tenants")):
            if groups.get(kind, []) != sorted(i.lower() for i in want.get(key, [])):
                mismatches.append("%s: shared with %s %s in the workspace, %s after the calls"
                                  % (gallery_id, key, want.get(key, []), groups.get(kind, [])))
    known = set(expected) | {norm_id(a) for a in allowed}
    for request in requests:
        key = norm_id(urllib.parse.urlsplit(request["url"]).path)
        if "/providers/microsoft.compute/galleries/" not in key or "/providers/microsoft.authorization/" in key:
            continue
        base = key[: -len("/share")] if key.endswith("/share") else key
        if base not in known and not any(k.startswith(base + "/") for k in known):
            mismatches.append("%s %s: names a resource the workspace does not"
                              % (request["method"], request["url"]))
    return mismatches


def is_guid(text):
    return re.fullmatch(r"[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}", text or "") is not None


# --- running az -------------------------------------------------------------------------------

class FakeCredential:
    def get_token(self, *scopes, **kwargs):
        from azure.core.credentials import AccessToken
        return AccessToken("oracle-token", int(time.time()) + 3600)

    def get_token_info(self, *scopes, options=None):
        from azure.core.credentials import AccessTokenInfo
        return AccessTokenInfo("oracle-token", int(time.time()) + 3600)

    def get_auxiliary_tokens(self, *scopes, **kwargs):
        return None


def install(arm):
    import requests
    import urllib3.response
    from azure.cli.core._profile import Profile

    def get_login_credentials(self, subscription_id=None, aux_subscriptions=None, aux_tenants=None,
                              sdk_credential=True):
        account = self.get_subscription(subscription_id)
        return FakeCredential(), str(account["id"]), str(account["tenantId"])

    Profile.get_login_credentials = get_login_credentials

    def send(adapter, request, **kwargs):
        body = request.body
        if isinstance(body, bytes):
            body = body.decode("utf-8")
        parsed = json.loads(body) if body else None
        status, answer = arm.handle(request.method, request.url, parsed)
        response = requests.Response()
        response.status_code = status
        response.url = request.url
        response.request = request
        response.reason = "OK" if status < 400 else "Error"
        response.headers["Content-Type"] = "application/json; charset=utf-8"
        response.headers["x-ms-request-id"] = "oracle"
        content = json.dumps(answer).encode() if answer is not None else b""
        response._content = content
        response.raw = urllib3.response.HTTPResponse(
            body=io.BytesIO(content), status=status, preload_content=False)
        response.encoding = "utf-8"
        return response

    requests.adapters.HTTPAdapter.send = send


def profile(config_dir, subscriptions):
    os.makedirs(config_dir, exist_ok=True)
    subs = [{"id": s, "name": "oracle-%d" % i, "state": "Enabled", "isDefault": i == 0,
             "tenantId": TENANT, "environmentName": "AzureCloud",
             "user": {"name": "oracle@example.com", "type": "user"}}
            for i, s in enumerate(subscriptions)]
    with _real_open(os.path.join(config_dir, "azureProfile.json"), "w", encoding="utf-8") as f:
        json.dump({"installationId": "00000000-0000-0000-0000-000000000000", "subscriptions": subs}, f)
    with _real_open(os.path.join(config_dir, "config"), "w", encoding="utf-8") as f:
        f.write("[core]\ncollect_telemetry = no\nno_color = yes\nsurvey_message = no\n"
                "[auto-upgrade]\nenable = no\n")


# The folder of this run's az profile and extensions, removed when the run ends (the tests run
# the oracle hundreds of times: nothing of a run may stay behind in the temporary folder).
_WORK = []


def main():
    started = time.time()
    job_path, report_path = (os.path.abspath(a) for a in sys.argv[1:3])
    with _real_open(job_path, encoding="utf-8") as f:
        job = json.load(f)
    work = tempfile.mkdtemp(prefix="az-oracle-")
    _WORK.append(work)
    config_dir = os.path.join(work, "config")
    os.environ.update({
        "AZURE_CONFIG_DIR": config_dir,
        "AZURE_CORE_COLLECT_TELEMETRY": "no",
        "AZURE_CORE_NO_COLOR": "yes",
        "AZURE_CORE_SURVEY_MESSAGE": "no",
        "AZURE_CORE_ONLY_SHOW_ERRORS": "yes",
        "AZURE_EXTENSION_DIR": os.path.join(work, "extensions"),
    })
    profile(config_dir, job["subscriptions"])
    template_errors = []
    for key in ("seed", "expect"):
        deployment = job.get(key + "_template")
        if deployment is not None:
            try:
                job[key] = job.get(key, []) + Deployment(
                    deployment["template"], deployment["parameters"],
                    deployment["subscription"], deployment["resourceGroup"]).resources()
            except TemplateError as e:
                template_errors.append("the %s template: %s" % (key, e))
    # Resources Azure holds that the comparison leaves aside (a version's parents known only
    # by reference).
    context = job.get("context", [])
    arm = FakeArm(job.get("seed", []) + context)
    install(arm)
    for root in {sys.prefix, sys.base_prefix, sys.exec_prefix, work, tempfile.gettempdir(),
                 os.path.dirname(os.path.abspath(__file__))}:
        _ALLOWED_ROOTS.append(os.path.abspath(root))
    _ALLOWED_ROOTS.extend(["/usr/lib", "/usr/share", "/etc/ssl", "/proc", "/dev/null", "/etc/localtime",
                           "/usr/local/lib", os.path.expanduser("~/.pyenv")])
    os.chdir(work)

    from azure.cli.core import get_default_cli
    logging.getLogger().setLevel(logging.ERROR)
    cli = get_default_cli()
    results = []
    for args in job["calls"]:
        before = len(arm.requests)
        reads_before = len(FILE_READS)
        out, err = io.StringIO(), io.StringIO()
        real_err = sys.stderr
        sys.stderr = err
        handler = logging.StreamHandler(err)
        logging.getLogger().addHandler(handler)
        _WATCHING[0] = True
        try:
            code = cli.invoke(list(args), out_file=out)
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else 2
        except Exception as e:  # az itself failed: that is a finding, not a harness error
            code = 99
            err.write("%s: %s" % (type(e).__name__, e))
        finally:
            _WATCHING[0] = False
            sys.stderr = real_err
            logging.getLogger().removeHandler(handler)
        results.append({"args": args, "exit": code, "error": err.getvalue()[-2000:],
                        "requests": arm.requests[before:],
                        "file_reads": FILE_READS[reads_before:]})
    mismatches = list(template_errors)
    for r in results:
        if r["exit"] != 0:
            tail = r["error"].strip().splitlines()[-3:]
            mismatches.append("az %s: exit %s: %s" % (" ".join(r["args"][:3]), r["exit"], " / ".join(tail)))
    for path in FILE_READS:
        mismatches.append("az read the local file %s" % path)
    for attempt in NETWORK:
        mismatches.append("az tried the network: %s" % attempt)
    if "expect" in job:
        allowed = job.get("allowed", []) + [r["id"] for r in job.get("seed", [])]
        store = {k: v for k, v in arm.store.items()
                 if k not in {norm_id(c["id"]) for c in context}}
        allowed += [c["id"] for c in context]
        mismatches.extend(compare(store, job["expect"], allowed, arm.requests, job.get("sharing")))
    report = {"calls": results, "mismatches": mismatches, "file_reads": FILE_READS,
              "network": NETWORK, "store": arm.store, "seconds": time.time() - started}
    with _real_open(report_path, "w", encoding="utf-8") as f:
        json.dump(report, f, indent=1, default=str)


def _remove_work():
    import shutil
    for folder in _WORK:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    # Registered before azure-cli registers its own exit handlers, so it runs after them
    # (atexit runs last-in, first-out): they write into the profile folder at exit.
    import atexit
    atexit.register(_remove_work)
    main()
