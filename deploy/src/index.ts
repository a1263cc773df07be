/**
 * Offline checks of Sextant's deployment artefacts (deploy/Dockerfile, docker-compose.yml, k8s/): renderers
 * that run the pinned tools from deploy/install-tools.sh, and rule functions that return problems as sentences.
 */
export { composeProblems, APP_DOCKERFILE, type ComposeConfig, type ComposeExpectations, type ComposeService } from './compose-rules';
export { dockerfileProblems, type DockerfileExpectations } from './dockerfile-rules';
export { k8sProblems, namespaceProblems, STAGE_LABEL, type K8sExpectations, type StageExpectation } from './k8s-rules';
export type { K8sObject } from './k8s-objects';
export { parseDockerfile, type DockerInstruction, type DockerStage, type ParsedDockerfile } from './parse-dockerfile';
export { isPinnedImage } from './pinned-image';
export { renderCompose, renderKustomization, renderWithComponents, validateCompose, COMPOSE_FILE } from './render-manifests';
export { requireTool, runTool, toolsBinDir, parseYamlDocuments, REPO_ROOT, type ValidationTool } from './validation-tools';
export * from './deployment-expectations';
export { isExcluded, parseDockerignore, type IgnorePattern } from './dockerignore-rules';
