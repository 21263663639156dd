"""An ARM deployment template as the resources it deploys (for the az oracle).

Evaluates the few template expressions SIG Studio's export writes: `[[...` (a literal `[...`),
`parameters('x')`, `subscriptionResourceId(type, name)`, `resourceId(type, names...)` and
`guid(...)` (a role assignment's generated name: left unknown, the oracle then matches role
assignments by scope, role and principal). Anything else is reported, never guessed.
"""

import re
import uuid


class TemplateError(Exception):
    pass


def _parse_args(text, i):
    """Parses `(arg, arg)` from text[i] == '('; returns (args, index after ')')."""
    assert text[i] == "("
    i += 1
    args = []
    while True:
        while i < len(text) and text[i] == " ":
            i += 1
        if i < len(text) and text[i] == ")":
            return args, i + 1
        value, i = _parse_expr(text, i)
        args.append(value)
        while i < len(text) and text[i] == " ":
            i += 1
        if i < len(text) and text[i] == ",":
            i += 1
            continue
        if i < len(text) and text[i] == ")":
            return args, i + 1
        raise TemplateError("cannot read the expression %r at %d" % (text, i))


def _parse_expr(text, i):
    if text[i] == "'":
        out = []
        i += 1
        while i < len(text):
            if text[i] == "'":
                if i + 1 < len(text) and text[i + 1] == "'":
                    out.append("'")
                    i += 2
                    continue
                return ("str", "".join(out)), i + 1
            out.append(text[i])
            i += 1
        raise TemplateError("an unclosed string in %r" % text)
    m = re.match(r"[A-Za-z][A-Za-z0-9]*", text[i:])
    if not m:
        raise TemplateError("cannot read the expression %r at %d" % (text, i))
    name = m.group(0)
    i += len(name)
    if i < len(text) and text[i] == "(":
        args, i = _parse_args(text, i)
        return ("call", name, args), i
    raise TemplateError("%r is not a function call in %r" % (name, text))


class Deployment:
    def __init__(self, template, parameters, subscription, resource_group):
        self.template = template
        self.parameters = parameters
        self.subscription = subscription
        self.resource_group = resource_group

    def evaluate(self, node):
        if node[0] == "str":
            return node[1]
        _, name, args = node
        values = [self.evaluate(a) for a in args]
        lower = name.lower()
        if lower == "parameters":
            if values[0] not in self.parameters:
                raise TemplateError("no value for the parameter %r" % values[0])
            return self.parameters[values[0]]
        if lower == "subscriptionresourceid":
            return "/subscriptions/%s/providers/%s/%s" % (self.subscription, values[0], "/".join(values[1:]))
        if lower == "resourceid":
            return self.resource_id(values[0], values[1:])
        if lower == "guid":
            # ARM's guid() is a hash of its arguments: a stable stand-in, marked as generated.
            self.generated = True
            return str(uuid.uuid5(uuid.NAMESPACE_URL, "|".join(str(v) for v in values)))
        raise TemplateError("the export wrote the function %s(), which the oracle does not evaluate" % name)

    def resource_id(self, kind, names):
        provider, *types = kind.split("/")
        namespace = provider + "/" + types[0]
        path = "/subscriptions/%s/resourceGroups/%s/providers/%s/%s" % (
            self.subscription, self.resource_group, namespace, names[0])
        for t, n in zip(types[1:], names[1:]):
            path += "/%s/%s" % (t, n)
        return path

    def value(self, v):
        if isinstance(v, str):
            if v.startswith("[[") :
                return v[1:]
            if v.startswith("[") and v.endswith("]"):
                expr, end = _parse_expr(v, 1)
                if end != len(v) - 1:
                    raise TemplateError("cannot read the expression %r" % v)
                return self.evaluate(expr)
            return v
        if isinstance(v, list):
            return [self.value(x) for x in v]
        if isinstance(v, dict):
            return {self.key(k): self.value(x) for k, x in v.items()}
        return v

    def key(self, k):
        # ARM evaluates property names too: an unescaped expression in a name is a finding.
        if k.startswith("[") and not k.startswith("[[") and k.endswith("]"):
            raise TemplateError("the property name %r is an ARM expression" % k)
        return k[1:] if k.startswith("[[") else k

    def resources(self):
        out = []
        for resource in self.template.get("resources", []):
            for keyword in ("condition", "copy"):
                if keyword in resource:
                    raise TemplateError("the resource %r has the template keyword %r" % (resource.get("name"), keyword))
            kind = resource["type"]
            self.generated = False
            name = self.value(resource["name"])
            body = {k: self.value(v) for k, v in resource.items()
                    if k not in ("type", "apiVersion", "name", "dependsOn", "scope", "comments")}
            body["type"] = kind
            if kind.lower() == "microsoft.authorization/roleassignments":
                scope = self.value(resource["scope"])
                if not scope.startswith("/"):
                    provider, *rest = scope.split("/")
                    scope = "/subscriptions/%s/resourceGroups/%s/providers/%s/%s" % (
                        self.subscription, self.resource_group, provider, "/".join(rest))
                body["id"] = "%s/providers/Microsoft.Authorization/roleAssignments/%s" % (scope, name)
                body.setdefault("properties", {})["scope"] = scope
                body["generatedName"] = self.generated
            else:
                body["id"] = self.resource_id(kind, name.split("/"))
            out.append(body)
        return out
