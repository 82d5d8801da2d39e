import { synthesize } from '../testing/synth';
import { mermaidDiagram } from './mermaid';

describe('GIVEN the prod stack', () => {
  const markdown = mermaidDiagram(synthesize().json, 'Infrastructure');

  it('THEN the diagram groups resources by layer', () => {
    expect(markdown).toContain('```mermaid\nflowchart LR');
    for (const layer of ['network', 'load-balancer', 'service', 'database', 'iam', 'monitoring']) {
      expect(markdown).toContain(`subgraph ${layer.replace('-', '_')}["${layer}"]`);
    }
    expect(markdown).toContain('ecs_service<br/>prod-e-service');
  });

  it('THEN references become edges: the service points at its task definition', () => {
    expect(markdown).toMatch(
      /aws_ecs_service_service_\w+ --> aws_ecs_task_definition_service_task_definition_\w+/,
    );
  });
});
