export { type AppConfig, apiBaseUrl, describeSettings, type LoadConfigOptions, loadConfig } from "./load-config";
export { SETTINGS, type Setting, type SettingName } from "./settings";
