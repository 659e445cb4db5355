"""scripts/deploy/kubernetes: the manifests parse, their embedded configurations are JSON, and the front's
`dns` peer names the headless Service over the node proxies' DaemonSet, at its port."""
import json
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml")  # PyYAML comes with gguf (scripts/requirements.txt)

EXAMPLE = Path(__file__).resolve().parents[2] / "scripts" / "deploy" / "kubernetes"


def documents() -> list[dict]:
    found = []
    for path in sorted(EXAMPLE.glob("*.yaml")):
        found += [document for document in yaml.safe_load_all(path.read_text()) if document]
    return found


def one(kind: str, name: str) -> dict:
    matches = [document for document in documents() if document["kind"] == kind and document["metadata"]["name"] == name]
    assert len(matches) == 1, f"{kind}/{name}: {len(matches)} found"
    return matches[0]


def test_the_front_finds_the_node_proxies_by_their_headless_service():
    kinds = sorted((document["kind"], document["metadata"]["name"]) for document in documents())
    assert kinds == [("ConfigMap", "lsp-front-config"), ("ConfigMap", "lsp-node-config"), ("DaemonSet", "lsp-node"),
                     ("Deployment", "lsp-front"), ("Secret", "lsp-peer-key"), ("Service", "lsp"), ("Service", "lsp-nodes")]
    nodes = one("Service", "lsp-nodes")
    daemons = one("DaemonSet", "lsp-node")
    assert nodes["spec"]["clusterIP"] == "None", "headless: the name resolves to every pod"
    assert nodes["spec"]["selector"] == daemons["spec"]["template"]["metadata"]["labels"]

    node_config = json.loads(one("ConfigMap", "lsp-node-config")["data"]["config.json"])
    front_config = json.loads(one("ConfigMap", "lsp-front-config")["data"]["config.json"])
    (peer,) = front_config["peers"].values()
    namespace = nodes["metadata"]["namespace"]
    assert peer["dns"] == f"lsp-nodes.{namespace}.svc.cluster.local"
    assert peer["port"] == nodes["spec"]["ports"][0]["port"] == node_config["port"]
    assert node_config["host"] == "0.0.0.0" and front_config["host"] == "0.0.0.0"
    key_path = peer["api_key_file"]
    assert node_config["admin_api_keys_file"] == key_path, "the front's key is the nodes' admin key"
    for workload in (daemons, one("Deployment", "lsp-front")):
        mounts = workload["spec"]["template"]["spec"]["containers"][0]["volumeMounts"]
        assert any(key_path.startswith(mount["mountPath"] + "/") for mount in mounts), workload["metadata"]["name"]
