import { PageHeader } from '../components/Layout';
import { useCommon } from '../i18n';

export function Playground() {
  const t = useCommon();
  return <PageHeader title={t('navPlayground')} />;
}
