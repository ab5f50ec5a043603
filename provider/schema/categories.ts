// SPDX-License-Identifier: Apache-2.0
/**
 * `categoryMap` keys for VM, container, IoT-Edge and core-VM offers:
 * level-1 key → allowed level-2 keys. Keys must be used verbatim.
 */
export const VM_CATEGORIES: Readonly<Record<string, readonly string[]>> = {
  "analytics-amp": [
    "data-insights",
    "data-analytics",
    "big-data",
    "predictive-analytics",
    "real-time-streaming-analytics",
    "other",
  ],
  "ai-plus-machine-learning": [
    "bot-services",
    "cognitive-services",
    "ml-service",
    "automated-ml",
    "business-robotic-process-automation",
    "data-labelling",
    "data-preparation",
    "knowledge-mining",
    "ml-operations",
    "other",
  ],
  blockchain: ["app-accelerators", "single-node-ledger", "multi-node-ledger", "tools", "other"],
  compute: ["application-infrastructure", "operating-systems", "cache", "other"],
  containers: ["container-apps", "container-images", "get-started-with-containers", "other"],
  databases: [
    "nosql-databases",
    "relational-databases",
    "ledger-blockchain-databases",
    "data-lakes",
    "data-warehouse",
    "other",
  ],
  "developer-tools": ["tools-developer-tools", "scripts", "developer-service", "other"],
  devops: ["other"],
  identity: ["access-management", "other"],
  integration: ["messaging", "other"],
  "internet-of-things": [
    "iot-core-services",
    "iot-edge-modules",
    "iot-solutions",
    "data-analytics-and-visualization",
    "iot-connectivity",
    "other",
  ],
  "it-and-management-tools": ["management-solutions", "business-applications", "other"],
  "monitoring-and-diagnostics": ["other"],
  media: ["media-services", "content-protection", "live-and-on-demand-streaming", "other"],
  migration: ["data-migration", "other"],
  "mixed-reality": ["other"],
  networking: ["appliance-managers", "connectivity", "firewalls", "load-balancers", "other"],
  security: ["identity-and-access-management", "threat-protection", "information-protection", "other"],
  storage: ["backup-and-recovery", "enterprise-hybrid-storage", "file-sharing", "data-lifecycle-management", "other"],
  web: ["blogs-and-cmss", "starter-web-apps", "ecommerce", "web-apps-frameworks", "web-apps", "other"],
};
