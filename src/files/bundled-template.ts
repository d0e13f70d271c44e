/**
 * Text templates shipped in the package's templates/ folder (package.json
 * "files"), read at run time. The JSON policies are bundled by import; a YAML
 * template cannot be, so it is found beside the code: templates/ is two
 * folders up from src/files/ and from dist/chunks/, one up from dist/.
 */
import {readFile} from 'node:fs/promises';
import {fileURLToPath} from 'node:url';

const TEMPLATE_FOLDERS = ['../templates/', '../../templates/', '../../../templates/'];

export async function readBundledTemplate(name: string): Promise<string> {
  for (const folder of TEMPLATE_FOLDERS) {
    const path = fileURLToPath(new URL(`${folder}${name}`, import.meta.url));
    try {
      return await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  throw new Error(`templates/${name} is missing from the installed zappa-iam-wizard; reinstall the package`);
}
