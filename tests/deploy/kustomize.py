"""A small kustomize, enough for deploy/k8s: resources (files and folders), namespace, images, replicas and
strategic-merge patches on the few lists they touch. Anything else in a kustomization.yaml is refused, so a
new feature is implemented (and tested) before the tests rely on it."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

Document = dict[str, Any]

KNOWN = {"apiVersion", "kind", "resources", "namespace", "images", "replicas", "patches"}
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "PersistentVolume", "StorageClass"}
# the merge keys Kubernetes declares for the lists the patches touch; every other list is replaced whole
MERGE_KEYS = {"containers": "name", "initContainers": "name", "env": "name", "volumes": "name",
              "volumeMounts": "mountPath", "ports": "containerPort"}


def load(path: Path) -> list[Document]:
    return [document for document in yaml.safe_load_all(path.read_text(encoding="utf-8")) if document]


def render(folder: Path) -> list[Document]:
    kustomization = yaml.safe_load((folder / "kustomization.yaml").read_text(encoding="utf-8"))
    unknown = set(kustomization) - KNOWN
    if unknown:
        raise ValueError(f"{folder}: this renderer does not implement {sorted(unknown)}")
    documents: list[Document] = []
    for entry in kustomization.get("resources", []):
        path = folder / entry
        documents += render(path) if path.is_dir() else load(path)
    for patch in kustomization.get("patches", []):
        for change in load(folder / patch["path"]):
            target = find(documents, change["kind"], change["metadata"]["name"])
            merged = merge(target, change)
            target.clear()
            target.update(merged)
    if "namespace" in kustomization:
        for document in documents:
            if document["kind"] not in CLUSTER_SCOPED:
                document["metadata"]["namespace"] = kustomization["namespace"]
    for image in kustomization.get("images", []):
        for container in containers(documents):
            name, _, _ = container["image"].rpartition(":")
            if name == image["name"]:
                container["image"] = f"{image.get('newName', name)}:{image['newTag']}"
    for replicas in kustomization.get("replicas", []):
        find(documents, "Deployment", replicas["name"])["spec"]["replicas"] = replicas["count"]
    return documents


def find(documents: list[Document], kind: str, name: str) -> Document:
    found = [d for d in documents if d["kind"] == kind and d["metadata"]["name"] == name]
    if len(found) != 1:
        raise LookupError(f"{len(found)} {kind} named {name}")
    return found[0]


def merge(base: Any, patch: Any, field: str | None = None) -> Any:
    """A strategic merge: maps key by key, lists with a merge key item by item (new items appended), other
    values replaced by the patch's."""
    if isinstance(base, dict) and isinstance(patch, dict):
        merged = copy.deepcopy(base)
        for key, value in patch.items():
            merged[key] = merge(base[key], value, key) if key in base else copy.deepcopy(value)
        return merged
    key = MERGE_KEYS.get(field or "")
    if key and isinstance(base, list) and isinstance(patch, list):
        merged_list = copy.deepcopy(base)
        for item in patch:
            index = next((i for i, old in enumerate(merged_list) if old.get(key) == item.get(key)), None)
            if index is None:
                merged_list.append(copy.deepcopy(item))
            else:
                merged_list[index] = merge(merged_list[index], item)
        return merged_list
    return copy.deepcopy(patch)


def pod_specs(documents: list[Document]) -> list[tuple[Document, Document]]:
    """(document, pod spec) for every workload."""
    return [(d, d["spec"]["template"]["spec"]) for d in documents if d["kind"] in {"Deployment", "Job"}]


def containers(documents: list[Document]) -> list[Document]:
    return [container for _, spec in pod_specs(documents)
            for container in [*spec.get("initContainers", []), *spec["containers"]]]
