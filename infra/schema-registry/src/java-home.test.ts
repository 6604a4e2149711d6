import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { findJava, javaMajor } from './java-home.ts';

const root = mkdtempSync(join(tmpdir(), 'shopfloor-jvm-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fake JDK: bin/java (never run: the release file answers) and a release file. */
function fakeJdk(name: string, version: string | undefined): string {
  const home = join(root, name);
  mkdirSync(join(home, 'bin'), { recursive: true });
  writeFileSync(join(home, 'bin', 'java'), '#!/bin/sh\nexit 1\n');
  chmodSync(join(home, 'bin', 'java'), 0o755);
  if (version) writeFileSync(join(home, 'release'), `IMPLEMENTOR="x"\nJAVA_VERSION="${version}"\n`);
  return home;
}

describe('JDK discovery for the registry (Java 21+)', () => {
  const jvm = join(root, 'jvm');
  const jdk17 = fakeJdk('jvm/java-17-openjdk-amd64', '17.0.15');
  const jdk25 = fakeJdk('jvm/temurin-25-jdk-amd64', '25.0.3');
  const other21 = fakeJdk('elsewhere/jdk-21', '21');

  test('javaMajor reads old and new version strings', () => {
    expect(javaMajor('25.0.3')).toBe(25);
    expect(javaMajor('21')).toBe(21);
    expect(javaMajor('1.8.0_402')).toBe(8);
    expect(javaMajor('garbage')).toBeUndefined();
  });

  test('JAVA_HOME wins when it is new enough', () => {
    expect(findJava({ env: { JAVA_HOME: other21 }, jvmRoot: jvm })).toMatchObject({
      home: other21,
      major: 21,
    });
  });

  test('a JAVA_HOME that is too old is passed over for a JDK under the jvm folder', () => {
    expect(findJava({ env: { JAVA_HOME: jdk17 }, jvmRoot: jvm })).toMatchObject({ home: jdk25, major: 25 });
  });

  test('none suitable: the error names every place looked at and what was there', () => {
    const onlyOld = join(root, 'only-old');
    fakeJdk('only-old/java-17', '17.0.15');
    fakeJdk('only-old/broken', undefined);
    mkdirSync(join(onlyOld, 'not-a-jdk'));
    expect(() => findJava({ env: { JAVA_HOME: jdk17 }, jvmRoot: onlyOld })).toThrow(
      new RegExp(
        [
          'needs Java 21 or newer and none was found',
          `${jdk17} \\(JAVA_HOME\\): Java 17.0.15`,
          `${join(onlyOld, 'not-a-jdk')} \\(${onlyOld}\\): no bin/java`,
          `${join(onlyOld, 'java-17')} \\(${onlyOld}\\): Java 17.0.15`,
          `${join(onlyOld, 'broken')} \\(${onlyOld}\\): Java of unknown version`,
        ].join('[\\s\\S]*'),
      ),
    );
  });

  test('no JAVA_HOME and no jvm folder: says so', () => {
    expect(() => findJava({ env: {}, jvmRoot: join(root, 'missing') })).toThrow(
      /JAVA_HOME \(unset\)[\s\S]*nothing there/,
    );
  });
});
