"""Validates Kubernetes manifests (a YAML stream on stdin) against the API schemas that Debian's
python3-kubernetes carries as generated model classes (openapi_types / attribute_map, generated
from the Kubernetes OpenAPI spec): unknown fields, wrong types and missing required fields are
errors. Kinds the client does not model (custom resources) are listed as skipped, so the caller
checks them itself. Prints JSON: {"errors": [...], "validated": [...], "skipped": [...]}."""
import json
import re
import sys

import kubernetes.client as k8s
import yaml
from kubernetes.client import ApiClient

# autoscaling/v2 is the same schema as v2beta2, which this client version (Kubernetes 1.22) has.
VERSION_ALIASES = {("autoscaling", "v2"): "V2beta2"}
PRIMITIVES = {"str": str, "int": int, "bool": bool, "float": (int, float), "object": object, "datetime": str, "date": str}
# The client's container types, "list[T]" and "dict(str, T)": the pattern (group 1 is T), the
# Python type, how an error names it, and each entry with its path.
CONTAINERS = (
    (r"list\[(.*)\]$", list, "a list", lambda value, path: ((v, f"{path}[{i}]") for i, v in enumerate(value))),
    (r"dict\([^,]*, (.*)\)$", dict, "a mapping", lambda value, path: ((v, f"{path}.{k}") for k, v in value.items())),
)


def model_name(api_version, kind):
    group, _, version = api_version.rpartition("/")
    prefix = VERSION_ALIASES.get((group.split(".")[0], version)) or version[0].upper() + version[1:]
    return prefix + kind


def check(value, type_name, path, errors):
    if value is None:
        return
    for pattern, container, label, entries in CONTAINERS:
        m = re.match(pattern, type_name)
        if m:
            if not isinstance(value, container):
                errors.append(f"{path}: expected {label}")
                return
            for item, where in entries(value, path):
                check(item, m.group(1), where, errors)
            return
    if type_name in PRIMITIVES:
        expected = PRIMITIVES[type_name]
        if type_name == "int" and isinstance(value, bool) or not isinstance(value, expected):
            errors.append(f"{path}: expected {type_name}, got {type(value).__name__} {value!r}")
        return
    cls = getattr(k8s, type_name, None)
    if cls is None:
        errors.append(f"{path}: unknown model {type_name}")
        return
    if not isinstance(value, dict):
        errors.append(f"{path}: expected an object ({type_name})")
        return
    by_json = {json_key: attr for attr, json_key in cls.attribute_map.items()}
    for key, v in value.items():
        if key not in by_json:
            errors.append(f"{path}.{key}: unknown field of {type_name}")
            continue
        check(v, cls.openapi_types[by_json[key]], f"{path}.{key}", errors)


def main():
    docs = [d for d in yaml.safe_load_all(sys.stdin) if d]
    errors, validated, skipped = [], [], []
    client = ApiClient()
    for doc in docs:
        where = f"{doc.get('kind')}/{doc.get('metadata', {}).get('name')}"
        name = model_name(doc.get("apiVersion", ""), doc.get("kind", ""))
        if getattr(k8s, name, None) is None:
            skipped.append(where)
            continue
        before = len(errors)
        check(doc, name, where, errors)
        if len(errors) == before:
            try:
                # Model constructors refuse a missing required field.
                client._ApiClient__deserialize(doc, name)
            except (ValueError, TypeError) as err:
                errors.append(f"{where}: {err}")
        validated.append(where)
    json.dump({"errors": errors, "validated": validated, "skipped": skipped}, sys.stdout)


main()
