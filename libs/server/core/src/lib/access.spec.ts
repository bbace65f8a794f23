import { ApiOperation } from '@nestjs/swagger';
import { AdminAccess, OperatorAccess, Public, ViewerAccess, withRoleDescriptions } from './access';

const meta = (key: string, fn: unknown) => Reflect.getMetadata(`swagger/${key}`, fn as object) as unknown;

class Routes {
  @AdminAccess()
  @ApiOperation({ summary: 'a', description: 'Does a.' })
  a(): void {
    // a route handler stand-in
  }

  @OperatorAccess()
  b(): void {
    // a route handler stand-in
  }

  @ApiOperation({ summary: 'c', description: 'Does c.' }) // runs after the access decorator and replaces its description
  @ViewerAccess()
  c(): void {
    // a route handler stand-in
  }
}

@ViewerAccess()
class ClassLevel {
  @Public()
  open(): void {
    // a route handler stand-in
  }

  @AdminAccess()
  admin(): void {
    // a route handler stand-in
  }

  inherited(): void {
    // a route handler stand-in
  }
}

describe('access decorators declare the OpenAPI side', () => {
  it.each([
    { name: 'method, @ApiOperation below', fn: Routes.prototype.a, roles: ['admin'], description: 'Does a.\n\nRequires role: admin.' },
    { name: 'method, no @ApiOperation', fn: Routes.prototype.b, roles: ['admin', 'operator'], description: 'Requires role: admin or operator.' },
    { name: 'class-level, inherited', fn: ClassLevel.prototype.inherited, roles: ['admin', 'operator', 'viewer'], description: 'Requires role: admin or operator or viewer.' },
    { name: 'class-level, own declaration wins', fn: ClassLevel.prototype.admin, roles: ['admin'], description: 'Requires role: admin.' },
  ])('$name', ({ fn, roles, description }) => {
    expect(meta('apiSecurity', fn)).toEqual([{ bearer: [] }]);
    expect(Object.keys(meta('apiResponse', fn) as object).sort()).toEqual(['401', '403']);
    expect((meta('apiResponse', fn) as Record<string, { description: string }>)['403'].description).toContain(`Requires role: ${roles.join(' or ')}`);
    expect(meta('apiExtension', fn)).toEqual({ 'x-required-roles': roles });
    expect((meta('apiOperation', fn) as { description: string }).description).toBe(description);
  });

  it('a @Public handler of a protected class claims no security', () => {
    expect(meta('apiSecurity', ClassLevel.prototype.open)).toBeUndefined();
    expect(meta('apiExtension', ClassLevel.prototype.open)).toBeUndefined();
  });

  it('withRoleDescriptions restores the role text a later @ApiOperation replaced', () => {
    expect((meta('apiOperation', Routes.prototype.c) as { description: string }).description).toBe('Does c.');
    const doc = { paths: { '/c': { get: { description: 'Does c.', 'x-required-roles': ['viewer'] }, post: { description: 'x' } } } };
    expect(withRoleDescriptions(doc).paths['/c']).toEqual({ get: { description: 'Does c.\n\nRequires role: viewer.', 'x-required-roles': ['viewer'] }, post: { description: 'x' } });
  });
});
