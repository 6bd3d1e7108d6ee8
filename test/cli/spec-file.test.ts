import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CliError } from "../../src/cli/cli-error.js";
import { readJobSpec } from "../../src/cli/commands/job-options.js";
import { messageType } from "../../src/cli/message-type.js";
import { yamlOf } from "../../src/cli/output.js";
import { messageFromYaml, readSpecFile } from "../../src/cli/spec-file.js";
import { JobSpec } from "../../src/gen/peloton/api/v1alpha/job/stateless/stateless.js";
import { CreateJobRequest } from "../../src/gen/peloton/api/v1alpha/job/stateless/svc/stateless_svc.js";
import { ResourcePoolSpec } from "../../src/gen/peloton/api/v1alpha/respool/respool.js";
import { CreateResourcePoolRequest } from "../../src/gen/peloton/api/v1alpha/respool/svc/respool_svc.js";

const jobSpec = messageType("peloton.api.v1alpha.job.stateless.JobSpec", JobSpec);
const parse = (yaml: string) => messageFromYaml(jobSpec, yaml, "spec.yaml");

/** The `-d` body of the README's grpcurl call of `method`, the first one whose body contains `has`. */
function readmeBody(method: string, has: string): unknown {
  for (const line of readFileSync("README.md", "utf8").split("\n")) {
    const m = /^grpcurl -plaintext -d '(.*)' localhost:5392 [\w.]+\/(\w+)$/.exec(line.trim());
    if (m && m[2] === method && m[1]!.includes(has)) return JSON.parse(m[1]!);
  }
  throw new Error(`no ${method} example in README.md with ${has}`);
}

const failure = (f: () => unknown): CliError => {
  try {
    f();
  } catch (e) {
    if (e instanceof CliError) return e;
    throw e;
  }
  throw new Error("expected a CliError");
};

describe("spec files", () => {
  it("examples/job.yaml is the spec of the README's CreateJob example", () => {
    const readme = CreateJobRequest.fromJSON(readmeBody("CreateJob", '"name": "hello"'));
    expect(readJobSpec("examples/job.yaml")).toEqual(readme.spec);
  });

  it("examples/respool.yaml is the README's pool, less the name and parent its path gives", () => {
    const readme = CreateResourcePoolRequest.fromJSON(readmeBody("CreateResourcePool", '"name": "web"'))
      .spec!;
    const type = messageType("peloton.api.v1alpha.respool.ResourcePoolSpec", ResourcePoolSpec);
    expect(readSpecFile(type, "examples/respool.yaml")).toEqual({ ...readme, name: "", parent: undefined });
  });

  it("take the protos' names and the JSON names, enums by name, maps keyed by instance", () => {
    const spec = parse(`
name: web
instanceCount: 3
sla: {maximum_unavailable_instances: 1}
default_spec:
  containers: [{name: main, command: {value: "sleep 1"}}]
  restart_policy: {max_failures: 2}
instance_spec:
  "2": {labels: [{key: canary, value: "yes"}]}
`);
    expect(spec).toMatchObject({
      name: "web",
      instanceCount: 3,
      sla: { maximumUnavailableInstances: 1 },
      defaultSpec: { restartPolicy: { maxFailures: 2 } },
      instanceSpec: { 2: { labels: [{ key: "canary", value: "yes" }] } },
    });
  });

  it("refuse an unknown field with its path, before any call", () => {
    expect(failure(() => parse("name: x\ninstance_cont: 2")).message).toMatch(
      /^spec\.yaml: instance_cont: JobSpec has no such field \(it has revision, name, .*instance_count/,
    );
    expect(failure(() => parse("default_spec: {containers: [{name: a}, {nme: b}]}")).message).toMatch(
      /^spec\.yaml: default_spec\.containers\[1\]\.nme: ContainerSpec has no such field/,
    );
    expect(failure(() => parse("instance_spec: {7: {bogus: 1}}")).message).toMatch(
      /^spec\.yaml: instance_spec\[7\]\.bogus: PodSpec has no such field/,
    );
  });

  it("refuse a wrong type, bad YAML, a list or a missing file, with exit code 1", () => {
    const typed = failure(() => parse("instance_count: two"));
    expect(typed.message).toMatch(/JobSpec\.instance_count.*"two"/);
    expect(typed.exitCode).toBe(1);
    expect(failure(() => parse("name: [")).message).toMatch(/^spec\.yaml: not valid YAML/);
    expect(failure(() => parse("name: a\nname: b")).message).toMatch(/not valid YAML.*unique/i);
    expect(failure(() => parse("- 1")).message).toBe("spec.yaml: expected a mapping of JobSpec fields");
    expect(failure(() => readJobSpec("no/such/file.yaml")).message).toBe(
      "cannot read no/such/file.yaml: ENOENT",
    );
  });

  it("bound what an error quotes of the file", () => {
    const message = failure(() => parse(`${"k".repeat(5000)}: 1`)).message;
    expect(message.length).toBeLessThan(400);
    const typed = failure(() => parse(`name: {a: "${"v".repeat(5000)}"}`)).message;
    expect(typed.length).toBeLessThan(500);
  });

  it("read back what `get` prints (YAML with the protos' names) as the same spec", () => {
    const word = fc.string({ minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(
        fc.record({
          name: word,
          owner: word,
          instanceCount: fc.nat(100_000),
          labels: fc.array(fc.record({ key: word, value: fc.string({ maxLength: 12 }) }), { maxLength: 4 }),
          command: word,
          cpu: fc.double({ min: 0.01, max: 64, noNaN: true }),
        }),
        (r) => {
          const spec = JobSpec.fromPartial({
            name: r.name,
            owner: r.owner,
            instanceCount: r.instanceCount,
            labels: r.labels,
            defaultSpec: {
              containers: [{ name: "main", command: { value: r.command }, resource: { cpuLimit: r.cpu } }],
            },
          });
          expect(parse(yamlOf(jobSpec, spec))).toEqual(spec);
        },
      ),
    );
  });

  it("read a spec from a file", () => {
    const dir = mkdtempSync(join(tmpdir(), "peloton-cli-"));
    const path = join(dir, "job.yaml");
    writeFileSync(path, "name: from-file\ninstance_count: 1\n");
    expect(readJobSpec(path)).toMatchObject({ name: "from-file", instanceCount: 1 });
  });
});
