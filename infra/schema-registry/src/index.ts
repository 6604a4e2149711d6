export { findJava, type JavaInstall, javaMajor, MIN_JAVA_MAJOR } from './java-home.ts';
export {
  CCOMPAT_PATH,
  type LocalRegistry,
  type LocalRegistryStatus,
  localRegistryStatus,
  registryAnswers,
  type StartLocalRegistryOptions,
  startLocalRegistry,
  stopLocalRegistry,
} from './local-registry.ts';
export { apicurioHome, apicurioVersion, ensureApicurio } from './paths.ts';
