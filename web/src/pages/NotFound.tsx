import { useTranslation } from 'react-i18next';
import { Link } from '../app/router.js';

export default function NotFound() {
  const { t } = useTranslation();
  return (
    <div className="page narrow">
      <h1>{t('notFound.title')}</h1>
      <p>{t('notFound.text')}</p>
      <p>
        <Link to="/">{t('notFound.home')}</Link>
      </p>
    </div>
  );
}
