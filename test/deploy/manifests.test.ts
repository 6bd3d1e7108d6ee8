// The deployment files, checked without a container engine or a cluster (none here): they parse,
// they have the keys that matter, the settings they give are settings the server reads, and the
// commands they run exist in the build.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { loadConfig } from "../../src/app/config.js";
import { checkEnvNames } from "../../src/app/env-names.js";
import { SETTINGS } from "../../src/app/settings.js";
import { envPairs, execForm, parseDockerfile } from "../support/dockerfile.js";

const root = process.cwd();
const GRACE_S = Number(SETTINGS.PELOTON_SHUTDOWN_GRACE_MS.default) / 1000;

/** `dist/src/app/x.js` exists once built when `src/app/x.ts` does. */
const builtFrom = (distPath: string) =>
  existsSync(join(root, distPath.replace(/^dist\//, "").replace(/\.js$/, ".ts")));

/** The settings an environment block gives are all known, and together load. */
function expectKnownSettings(env: Record<string, string>) {
  expect(checkEnvNames(env).unknown).toEqual([]);
  expect(() => loadConfig(env)).not.toThrow();
}

describe("Dockerfile", () => {
  const stages = parseDockerfile(join(root, "Dockerfile"));
  const runtime = stages.at(-1)!;
  const kw = (k: string) => runtime.instructions.filter((i) => i.keyword === k);

  it("runs node under tini as the node user, with a HEALTHCHECK, listening on every interface", () => {
    expect(stages.map((s) => s.name)).toEqual(["build", "deps", "runtime"]);
    expect(execForm(kw("ENTRYPOINT")[0]!.args)).toEqual(["/usr/bin/tini", "--"]);
    const cmd = execForm(kw("CMD")[0]!.args);
    expect(cmd[0]).toBe("node");
    expect(builtFrom(cmd[1]!)).toBe(true);
    expect(kw("USER")[0]!.args).toBe("node");
    const check = kw("HEALTHCHECK")[0]!.args;
    expect(builtFrom(execForm(check.slice(check.indexOf("CMD ") + 4))[1]!)).toBe(true);
    const env = Object.assign({}, ...kw("ENV").map((i) => envPairs(i.args))) as Record<string, string>;
    expect(env.PELOTON_LISTEN_ADDRESS).toBe("0.0.0.0:5392");
    const { NODE_ENV: _, ...settings } = env;
    expectKnownSettings(settings);
    // Only the runtime stage's COPY lines bring files in: production node_modules and the build.
    expect(kw("COPY").map((i) => i.args.split(/\s+/)[0])).toEqual([
      "--from=deps",
      "--from=build",
      "--from=build",
      "--from=build",
    ]);
  });
});

describe("docker-compose.yml", () => {
  const compose = parse(readFileSync(join(root, "docker-compose.yml"), "utf8"));
  const peloton = compose.services.peloton;

  it("builds the image, restarts it, outlasts its drain on stop and checks its health", () => {
    expect(peloton.build).toBe(".");
    expect(peloton.restart).toBe("unless-stopped");
    expect(Number(/^(\d+)s$/.exec(peloton.stop_grace_period)?.[1])).toBeGreaterThan(GRACE_S);
    expect(peloton.healthcheck.test[0]).toBe("CMD");
    expect(builtFrom(peloton.healthcheck.test[2])).toBe(true);
    expect(peloton.depends_on.postgres.condition).toBe("service_healthy");
    expectKnownSettings(peloton.environment);
  });
});

describe("deploy/kubernetes.yaml", () => {
  const docs = parseAllDocuments(readFileSync(join(root, "deploy", "kubernetes.yaml"), "utf8")).map((d) => {
    expect(d.errors).toEqual([]);
    return d.toJS();
  });
  const byKind = (kind: string) => docs.find((d) => d.kind === kind);

  it("has a Secret, a Deployment and a Service", () => {
    expect(docs.map((d) => d.kind)).toEqual(["Secret", "Deployment", "Service"]);
  });

  it("runs one replica without service links, gRPC probes, the database URL from the Secret", () => {
    const secret = byKind("Secret");
    const deployment = byKind("Deployment");
    const pod = deployment.spec.template.spec;
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy.type).toBe("Recreate");
    expect(pod.enableServiceLinks).toBe(false);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(GRACE_S);
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    const [container] = pod.containers;
    const ports = Object.fromEntries(
      container.ports.map((p: { name: string; containerPort: number }) => [p.name, p.containerPort]),
    );
    expect(ports).toEqual({ grpc: 5392, metrics: 5292 });
    expect(container.readinessProbe.grpc.port).toBe(5392);
    expect(container.startupProbe.grpc.port).toBe(5392);
    expect(container.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "metrics" });
    const dbUrl = container.env.find((e: { name: string }) => e.name === "DATABASE_URL");
    expect(dbUrl.valueFrom.secretKeyRef.name).toBe(secret.metadata.name);
    expect(Object.keys(secret.stringData)).toContain(dbUrl.valueFrom.secretKeyRef.key);
    const plain = Object.fromEntries(
      container.env
        .filter((e: { value?: string }) => e.value !== undefined)
        .map((e: { name: string; value: string }) => [e.name, e.value]),
    );
    expectKnownSettings({ ...plain, DATABASE_URL: secret.stringData.url });
  });

  it("selects the Deployment's pods with the Service, on the named ports", () => {
    const service = byKind("Service");
    const labels = byKind("Deployment").spec.template.metadata.labels;
    for (const [k, v] of Object.entries(service.spec.selector)) expect(labels[k]).toBe(v);
    expect(service.spec.ports.map((p: { targetPort: string }) => p.targetPort).sort()).toEqual([
      "grpc",
      "metrics",
    ]);
  });
});
