"""deploy/k8s, rendered here without a cluster or kustomize (tests/deploy/kustomize.py) and validated
against Kubernetes 1.30's own schemas, bundled by kubernetes-validate: offline."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from tests.deploy.kustomize import Document, containers, find, load, merge, pod_specs, render

K8S = Path(__file__).resolve().parents[2] / "deploy" / "k8s"
BASE, OVERLAY = K8S / "base", K8S / "overlays" / "example"
EXTRA = [BASE / "secret.example.yaml", BASE / "migrate-job.yaml"]  # applied by hand, not by the kustomization
KUBERNETES = "1.30.0"
SECRET_KEYS = {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "PUBLIC_URL"}


def every_document() -> list[tuple[str, Document]]:
    named = [("base", d) for d in render(BASE)] + [("overlay", d) for d in render(OVERLAY)]
    return named + [(path.name, d) for path in EXTRA for d in load(path)]


@pytest.mark.parametrize(("source", "document"), every_document(),
                         ids=lambda v: v if isinstance(v, str) else f"{v['kind']}/{v['metadata']['name']}")
def test_every_document_is_valid_kubernetes(source, document):
    # strict: a misspelt or misplaced field is an error, not silently dropped by the API server
    kubernetes_validate.validate(document, KUBERNETES, strict=True)


def test_the_validator_would_catch_a_mistake():
    web = find(render(BASE), "Deployment", "ruam-web")
    web["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGet"]["pth"] = "/readyz"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(web, KUBERNETES, strict=True)


def test_the_web_pods_probe_readyz_and_healthz():
    web = find(render(OVERLAY), "Deployment", "ruam-web")["spec"]["template"]["spec"]["containers"][0]
    assert web["args"] == ["ruam", "serve"]
    assert web["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert web["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert web["startupProbe"]["httpGet"]["path"] == "/healthz"
    port_names = {port["name"] for port in web["ports"]}
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        assert web[probe]["httpGet"]["port"] in port_names


def test_each_web_pod_migrates_before_it_serves():
    spec = find(render(OVERLAY), "Deployment", "ruam-web")["spec"]["template"]["spec"]
    assert [c["args"] for c in spec["initContainers"]] == [["ruam", "migrate"]]
    assert spec["initContainers"][0]["image"] == spec["containers"][0]["image"]
    job = load(BASE / "migrate-job.yaml")[0]["spec"]["template"]["spec"]["containers"][0]
    assert job["args"] == ["ruam", "migrate"]


@pytest.mark.parametrize("folder", [BASE, OVERLAY], ids=["base", "overlay"])
def test_every_container_has_requests_and_limits_and_runs_unprivileged(folder):
    documents = render(folder) + [d for path in EXTRA if path.name.endswith("job.yaml") for d in load(path)]
    for document, spec in pod_specs(documents):
        assert spec["securityContext"]["runAsNonRoot"] is True, document["metadata"]["name"]
        assert spec["securityContext"]["runAsUser"] != 0
        assert spec["automountServiceAccountToken"] is False
    for container in containers(documents):
        resources = container["resources"]
        for kind in ("cpu", "memory"):
            assert quantity(resources["requests"][kind]) <= quantity(resources["limits"][kind]), container["name"]
        context = container["securityContext"]
        assert context["allowPrivilegeEscalation"] is False
        assert context["readOnlyRootFilesystem"] is True
        assert context["capabilities"]["drop"] == ["ALL"]
        # the root filesystem is read-only: DATA_DIR and /tmp are volumes
        assert {m["mountPath"] for m in container["volumeMounts"]} >= {"/var/lib/ruam", "/tmp"}


def test_the_worker_has_no_service_no_port_and_no_ingress():
    documents = render(OVERLAY)
    worker = find(documents, "Deployment", "ruam-worker")
    labels = worker["spec"]["template"]["metadata"]["labels"]
    container = worker["spec"]["template"]["spec"]["containers"][0]
    assert container["args"] == ["ruam", "worker"]
    assert "ports" not in container
    for service in (d for d in documents if d["kind"] == "Service"):
        assert not selects(service["spec"]["selector"], labels)
    policy = find(documents, "NetworkPolicy", "ruam-worker")
    assert "Ingress" in policy["spec"]["policyTypes"] and not policy["spec"].get("ingress")
    assert {p["port"] for rule in policy["spec"]["egress"] for p in rule["ports"]} == {53, 5432, 6379, 443}


def test_service_budget_autoscaler_and_policy_find_the_web_pods():
    documents = render(OVERLAY)
    web = find(documents, "Deployment", "ruam-web")
    labels = web["spec"]["template"]["metadata"]["labels"]
    assert selects(web["spec"]["selector"]["matchLabels"], labels)
    service = find(documents, "Service", "ruam-web")
    assert service["spec"]["type"] == "ClusterIP" and selects(service["spec"]["selector"], labels)
    assert service["spec"]["ports"][0]["targetPort"] in {p["name"] for p in web["spec"]["template"]["spec"]["containers"][0]["ports"]}
    budget = find(documents, "PodDisruptionBudget", "ruam-web")
    assert budget["spec"]["minAvailable"] == 1 and selects(budget["spec"]["selector"]["matchLabels"], labels)
    autoscaler = find(documents, "HorizontalPodAutoscaler", "ruam-web")
    assert autoscaler["apiVersion"] == "autoscaling/v2"
    assert autoscaler["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "ruam-web"}
    assert autoscaler["spec"]["metrics"][0]["resource"]["name"] == "cpu"
    policy = find(documents, "NetworkPolicy", "ruam-web")
    assert selects(policy["spec"]["podSelector"]["matchLabels"], labels)
    assert 443 not in {p["port"] for rule in policy["spec"]["egress"] for p in rule["ports"]}


def test_the_secret_holds_the_four_secrets_and_the_configmap_none():
    secret = load(BASE / "secret.example.yaml")[0]
    assert set(secret["stringData"]) == SECRET_KEYS
    # placeholders Ruam refuses to start with, at addresses that cannot exist
    assert len(secret["stringData"]["SECRET_KEY"]) < 32
    assert all("REPLACE-ME" in v or ".invalid" in v for v in secret["stringData"].values())
    config = find(render(BASE), "ConfigMap", "ruam")["data"]
    assert not set(config) & SECRET_KEYS
    assert not [k for k in config if re.search("KEY|PASSWORD|TOKEN|SECRET", k)]
    assert not [v for v in config.values() if re.search(r"://[^/@]*:[^/@]*@", v)]  # a password in a URL
    for _, spec in pod_specs(render(BASE)):
        for container in [*spec.get("initContainers", []), *spec["containers"]]:
            assert {"configMapRef": {"name": "ruam"}} in container["envFrom"]
            assert {"secretRef": {"name": "ruam"}} in container["envFrom"]


def test_the_kustomization_does_not_apply_the_placeholder_secret():
    assert not [d for d in render(OVERLAY) if d["kind"] == "Secret"]


def test_the_overlay_sets_image_namespace_replicas_public_url_and_resources():
    documents = render(OVERLAY)
    assert {d["metadata"]["namespace"] for d in documents} == {"ruam"}
    assert {c["image"] for c in containers(documents)} == {"ghcr.io/ruam/ruam:1.0.0"}
    assert find(documents, "Deployment", "ruam-web")["spec"]["replicas"] == 3
    assert find(documents, "Deployment", "ruam-worker")["spec"]["replicas"] == 2
    assert find(documents, "HorizontalPodAutoscaler", "ruam-web")["spec"]["minReplicas"] == 3
    for container in containers(documents):
        assert {"name": "PUBLIC_URL", "value": "https://ruam.example.org"} in container["env"]
    worker = find(documents, "Deployment", "ruam-worker")["spec"]["template"]["spec"]["containers"][0]
    assert worker["resources"]["limits"] == {"cpu": "1", "memory": "1536Mi"}  # patched memory, base cpu kept
    assert "namespace" not in find(render(BASE), "Deployment", "ruam-web")["metadata"]


def test_merge_keys_lists_by_name_and_replaces_the_rest():
    base = {"containers": [{"name": "a", "args": ["x"], "env": [{"name": "K", "value": "1"}]}, {"name": "b"}],
            "args": ["old"]}
    patch = {"containers": [{"name": "a", "env": [{"name": "K", "value": "2"}, {"name": "L", "value": "3"}]}],
             "args": ["new"]}
    assert merge(base, patch) == {
        "containers": [{"name": "a", "args": ["x"], "env": [{"name": "K", "value": "2"}, {"name": "L", "value": "3"}]},
                       {"name": "b"}],
        "args": ["new"]}
    assert base["containers"][0]["env"] == [{"name": "K", "value": "1"}]  # the base is left as it was


def test_an_unknown_kustomize_feature_is_refused(tmp_path):
    (tmp_path / "kustomization.yaml").write_text("resources: []\ncommonLabels: {a: b}\n")
    with pytest.raises(ValueError, match="commonLabels"):
        render(tmp_path)


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
@pytest.mark.parametrize("folder", [BASE, OVERLAY], ids=["base", "overlay"])
def test_the_renderer_agrees_with_kubectl_kustomize(folder):
    built = subprocess.run(["kubectl", "kustomize", str(folder)], capture_output=True, text=True, check=True,
                           timeout=60).stdout
    by_name = lambda documents: {(d["kind"], d["metadata"]["name"]): d for d in documents}  # noqa: E731
    assert by_name(render(folder)) == by_name(d for d in yaml.safe_load_all(built) if d)


def selects(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(k) == v for k, v in selector.items())


def quantity(text: str | int) -> float:
    units = {"m": 1e-3, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30}
    text = str(text)
    for unit, factor in units.items():
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    return float(text)
